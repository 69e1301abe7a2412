/** Names for Ganglion's objects made from what people and GitHub send: DNS-1123 labels, distinct for distinct keys. */
import { createHash } from 'node:crypto';

/** A DNS-1123 label (lower-case letters, digits and '-', at most 63 characters): what an object name may be. */
export const isObjectName = (s: string): boolean => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s);

/**
 * `readable` cleaned up to a DNS-1123 label, plus a short hash of `key` (what the object stands for), so two keys
 * that clean up alike ("feature/x", "Feature_x") never share a name.
 */
export function hashedName(readable: string, key: string = readable): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const part = readable.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+/, '').slice(0, 63 - hash.length - 1).replace(/-+$/, '');
  return part ? `${part}-${hash}` : hash;
}
