/**
 * Who may call Ganglion: API tokens with roles, kept hashed in the secret ganglion-api-tokens
 * (`{"tokens":[{"name":"alice","role":"approver","sha256":"<hex>"}]}`; an OpenFaaS secret in production, the embedded
 * gateway's secret store locally). A token is 32 random bytes, hex, prefixed `gt_` so it is recognisable in a leak scan.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKENS_SECRET = 'ganglion-api-tokens';

/** Each role can do what the ones before it can. */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  name: string;
  role: Role;
}

export interface TokenEntry extends Principal {
  /** sha256 of the token, hex. */
  sha256: string;
}

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** True when `have` covers `need` (admin ⊇ approver ⊇ operator ⊇ viewer). */
export const roleAtLeast = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);

export const hashApiToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function newApiToken(): string {
  return `gt_${randomBytes(32).toString('hex')}`;
}

/** The entries of the secret's JSON; entries that are not well formed are left out (named in `problems`). */
export function parseTokens(text: string): { entries: TokenEntry[]; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text || '{"tokens":[]}');
  } catch (err) {
    return { entries: [], problems: [`${TOKENS_SECRET} is not JSON: ${(err as Error).message}`] };
  }
  const list = raw && typeof raw === 'object' && Array.isArray((raw as { tokens?: unknown }).tokens) ? (raw as { tokens: unknown[] }).tokens : [];
  const entries: TokenEntry[] = [];
  for (const [i, e] of list.entries()) {
    const x = (e ?? {}) as Record<string, unknown>;
    if (typeof x.name === 'string' && x.name && isRole(x.role) && typeof x.sha256 === 'string' && /^[0-9a-f]{64}$/.test(x.sha256)) entries.push({ name: x.name, role: x.role, sha256: x.sha256 });
    else problems.push(`${TOKENS_SECRET} entry ${i} needs name, role (${ROLES.join('/')}) and sha256 (64 hex)`);
  }
  return { entries, problems };
}

/** The principal a bearer token belongs to, compared by hash in constant time; undefined for an unknown token. */
export function principalOf(entries: readonly TokenEntry[], token: string | undefined): Principal | undefined {
  if (!token) return undefined;
  const given = Buffer.from(hashApiToken(token), 'hex');
  let found: Principal | undefined;
  for (const e of entries) {
    if (timingSafeEqual(given, Buffer.from(e.sha256, 'hex')) && !found) found = { name: e.name, role: e.role };
  }
  return found;
}

/** `Authorization: Bearer <token>` → the token; anything else → undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

/** The secret's JSON with `entry` added (an entry of the same name is replaced). */
export function withToken(text: string, entry: TokenEntry): string {
  const { entries } = parseTokens(text);
  return JSON.stringify({ tokens: [...entries.filter((e) => e.name !== entry.name), entry] }, null, 2);
}
