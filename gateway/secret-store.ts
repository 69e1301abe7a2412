/**
 * The embedded gateway's secrets, what `faas-cli secret create` makes on OpenFaaS: one file per secret under
 * <home>/secrets (0600 in a 0700 folder), laid out as OpenFaaS mounts them at /var/openfaas/secrets/<name>.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';

/** What Kubernetes accepts as a Secret's name (a DNS-1123 subdomain); it also keeps a name a plain file name. */
export const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export interface SecretStore {
  /** The folder functions read (GANGLION_SECRETS_DIR in shared and process mode). */
  dir: string;
  names(): string[];
  has(name: string): boolean;
  /** The secret's bytes; undefined when there is none. */
  read(name: string): Buffer | undefined;
  write(name: string, value: Buffer | string): void;
  /** False when there was no such secret. */
  remove(name: string): boolean;
}

export function openSecretStore(dir: string): SecretStore {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = (name: string) => {
    if (!SECRET_NAME.test(name)) throw new Error(`"${name}" is not a secret name (lowercase letters, digits, '-' and '.')`);
    return path.join(dir, name);
  };
  const read = (name: string): Buffer | undefined => {
    try {
      return readFileSync(file(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  };
  return {
    dir,
    // Only names a secret may have: writeFileAtomic's temporary files never match.
    names: () => readdirSync(dir).filter((n) => SECRET_NAME.test(n)).sort(),
    has: (name) => read(name) !== undefined,
    read,
    write: (name, value) => writeFileAtomic(file(name), value, { mode: 0o600 }),
    remove(name) {
      const existed = read(name) !== undefined;
      rmSync(file(name), { force: true });
      return existed;
    },
  };
}
