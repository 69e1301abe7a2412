/** Basic auth for /system/*: user admin, a configured or once-generated password, compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';
import { readGatewayPasswordFile, SECRET } from '../kernel/secrets.js';

export const ADMIN_USER = 'admin';

/** The configured password, else the one in $GANGLION_HOME/basic-auth-password, else a new one written there (0600). */
export function resolvePassword(home: string, configured: string): string {
  if (configured) return configured;
  const existing = readGatewayPasswordFile(home);
  if (existing) return existing;
  const file = path.join(home, SECRET.gatewayPassword.name);
  const generated = randomBytes(24).toString('base64url');
  writeFileAtomic(file, generated + '\n', { mode: 0o600 });
  return generated;
}

// Hashing both sides first makes the comparison constant-time whatever the lengths.
const digest = (s: string) => createHash('sha256').update(s).digest();

export function checkBasicAuth(header: string | undefined, password: string): boolean {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(ADMIN_USER));
  const passOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(password));
  return userOk && passOk;
}
