/**
 * Who is calling a function, and whether they may: a bearer token looked up in the ganglion-api-tokens secret
 * (<secretsDir>/ganglion-api-tokens, re-read when the file changes), or a Ganglion caller's step signature. Every
 * function checks for itself — on OpenFaaS the gateway passes /function/* through unchecked.
 */
import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bearerToken, parseTokens, principalOf, roleAtLeast, TOKENS_SECRET, type Principal, type Role, type TokenEntry } from '../access/api-tokens.js';
import { routeTimeFresh, signerName, STEP_SIGNATURE_EXTENSION, verifyStep, type SignedCall } from '../access/step-signature.js';
import { GanglionError } from '../kernel/errors.js';
import type { Logger } from '../kernel/logger.js';

/** The role a Ganglion caller's valid step signature stands for: it may run steps; changes still need their approval. */
export const SIGNER_ROLE: Role = 'operator';

/**
 * The token entries of the secret, read again only when its file changes (mtime, size, inode). The file is looked at
 * at most every `recheckMs` (500 ms): a call costs a clock read, not a stat — what authentication adds to a call is a
 * bench goal — and a mounted Secret takes up to a minute to change in a pod anyway.
 */
export function createTokenReader(secretsDir: string, log?: Logger, recheckMs = 500): () => readonly TokenEntry[] {
  const file = path.join(secretsDir, TOKENS_SECRET);
  let seen = '';
  let checkedAt = -Infinity;
  let entries: readonly TokenEntry[] = [];
  return function tokens() {
    const now = performanceNow();
    if (now - checkedAt < recheckMs) return entries;
    checkedAt = now;
    let stamp = 'absent';
    try {
      const st = statSync(file);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    }
    if (stamp === seen) return entries;
    seen = stamp;
    if (stamp === 'absent') return (entries = []);
    const parsed = parseTokens(readFileSync(file, 'utf8'));
    for (const p of parsed.problems) log?.warn({ file }, p);
    return (entries = parsed.entries);
  };
}

/** Milliseconds from a monotonic clock (process.hrtime: `performance` would load perf_hooks on a cold start). */
const performanceNow = () => Number(process.hrtime.bigint() / 1_000_000n);

/** Bearer tokens already looked up, per entries list: a known caller's next call is a map lookup, not a hash. */
const known = new WeakMap<readonly TokenEntry[], Map<string, Principal | null>>();

/** The principal of an `Authorization: Bearer` header, or undefined when there is none or the token is unknown. */
export function bearerPrincipal(entries: readonly TokenEntry[], authorization: string | undefined): Principal | undefined {
  const token = bearerToken(authorization);
  if (!token) return undefined;
  let cache = known.get(entries);
  if (!cache) known.set(entries, (cache = new Map()));
  const hit = cache.get(token);
  if (hit !== undefined) return hit ?? undefined;
  const found = principalOf(entries, token);
  // bounded: unknown tokens (a scan) must not grow it without end
  if (cache.size >= 1000) cache.clear();
  cache.set(token, found ?? null);
  return found;
}

/** The principal of a valid step signature (the signer, e.g. planner, as an operator), or undefined. */
export function signedPrincipal(key: () => Buffer, call: SignedCall, signature: unknown): Principal | undefined {
  if (typeof signature !== 'string' || !signature) return undefined;
  return verifyStep(key(), call, signature) ? { name: signerName(call.source), role: SIGNER_ROLE } : undefined;
}

export { routeTimeFresh, STEP_SIGNATURE_EXTENSION };

/** 401 without a principal, 403 when its role is below `need`; `what` names what was asked for. */
export function requireRole(principal: Principal | undefined, need: Role, what: string, tokenSent: boolean): Principal {
  if (!principal) {
    throw new GanglionError(401, 'unauthenticated', tokenSent
      ? `${what} needs a valid API token: the bearer token sent is not in ${TOKENS_SECRET} (revoked, mistyped, or for another gateway); run ganglion login <gateway-url> or set GANGLION_TOKEN`
      : `${what} needs an API token with role ${need} or above: send Authorization: Bearer <token> (ganglion login <gateway-url>, GANGLION_TOKEN, or faas-cli invoke -H "Authorization=Bearer <token>")`);
  }
  if (!roleAtLeast(principal.role, need)) {
    throw new GanglionError(403, 'forbidden', `${what} needs role ${need} or above; ${principal.name} has role ${principal.role}. Ask an admin for a token with role ${need}`, { details: { need, have: principal.role } });
  }
  return principal;
}

/** The header a 401 answer carries (RFC 6750). */
export const CHALLENGE = { 'www-authenticate': 'Bearer realm="ganglion"' } as const;
