/** Serialised JSON of stored objects (text for watch events, bytes for lists), cached per object: stored objects are never changed in place, only replaced. */
import type { KubeObject } from '../store.js';

const cache = new WeakMap<KubeObject, string>();

/** JSON.stringify of a stored (shared, read-only) object, computed once per version of it. */
export function storedJson(o: KubeObject): string {
  let text = cache.get(o);
  if (text === undefined) {
    text = JSON.stringify(o);
    cache.set(o, text);
  }
  return text;
}

const bytesCache = new WeakMap<KubeObject, Buffer>();

/** The UTF-8 bytes of a stored object's JSON, computed once per version of it (lists copy these, not strings). */
function storedJsonBytes(o: KubeObject): Buffer {
  let bytes = bytesCache.get(o);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(o));
    bytesCache.set(o, bytes);
  }
  return bytes;
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** A list body built from cached item JSON: `{"kind":..,"apiVersion":..,"metadata":..,"items":[...]}`, as bytes. */
export function listJson(head: { kind: string; apiVersion: string; metadata: Record<string, unknown> }, items: readonly KubeObject[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"items":[`)];
  items.forEach((o, i) => {
    if (i) parts.push(COMMA);
    parts.push(storedJsonBytes(o));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
