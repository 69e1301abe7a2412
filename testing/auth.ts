/** Test support: tokens for every role written where functions read them, and the headers that send one. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashApiToken, newApiToken, ROLES, TOKENS_SECRET, withToken, type Role } from '../access/api-tokens.js';
import { signStep } from '../access/step-signature.js';

/** The headers that authenticate a call as the embedded stack's admin (or any token). */
export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

export type RoleTokens = Record<Role, string>;

/**
 * Adds a token for each role (principals named after their role: admin, approver, operator, viewer) to
 * <secretsDir>/ganglion-api-tokens, keeping what is there; returns the tokens. `admin` is the one most tests send.
 */
export function writeTestTokens(secretsDir: string): RoleTokens {
  // the machine's own OpenFaaS secrets are never a test's to write (tests may run as root)
  if (path.resolve(secretsDir) === '/var/openfaas/secrets') throw new Error('writeTestTokens: give the function config a GANGLION_SECRETS_DIR of the test\'s own');
  mkdirSync(secretsDir, { recursive: true });
  const file = path.join(secretsDir, TOKENS_SECRET);
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tokens = {} as RoleTokens;
  for (const role of ROLES) {
    const token = newApiToken();
    tokens[role] = token;
    text = withToken(text, { name: role, role, sha256: hashApiToken(token) });
  }
  writeFileSync(file, text, { mode: 0o600 });
  return tokens;
}

/** The `ce-stepsig` header a Ganglion caller (default the planner) signs a step event with, as invokeFunction does. */
export function stepSigHeader(key: Buffer, call: { id: string; fn: string; input: unknown; runId?: string; stepId?: string; source?: string }): { 'ce-stepsig': string } {
  return { 'ce-stepsig': signStep(key, { source: call.source ?? '/ganglion/planner', id: call.id, fn: call.fn, input: call.input, ...(call.runId ? { runId: call.runId } : {}), ...(call.stepId ? { stepId: call.stepId } : {}) }) };
}

/** fetch with `Authorization: Bearer <token()>` added (headers the call gives win): what an authenticated client sends. */
export function authedFetch(token: () => string): typeof fetch {
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token()}`);
    return fetch(input, { ...init, headers });
  };
}
