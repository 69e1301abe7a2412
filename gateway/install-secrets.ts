/**
 * The embedded install step for secrets, what an operator does once with `faas-cli secret create` on OpenFaaS:
 * the approval key (32 random bytes, hex; created only when missing), the gateway's own credentials for the
 * functions that call /system (basic-auth-user, basic-auth-password), and the secrets given to `npm start` as
 * environment variables (SLACK_WEBHOOK_URL …), so the embedded stack keeps working in every gateway mode.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hashApiToken, newApiToken, TOKENS_SECRET, withToken, type Principal } from '../access/api-tokens.js';
import { writeFileAtomic } from '../kernel/atomic-write.js';
import { SECRET } from '../kernel/secrets.js';
import type { SecretStore } from './secret-store.js';

export const APPROVAL_KEY_SECRET = 'ganglion-approval-key';
/** What Ganglion's own callers sign every call with (host/step-key.ts): every function checks it, none but the signers can make changes with it. */
export const STEP_KEY_SECRET = 'ganglion-step-key';

export interface InstallSecretsOptions {
  /** The gateway's /system credentials. */
  user: string;
  password: string;
  /** The gateway's environment: SLACK_WEBHOOK_URL, GITHUB_WEBHOOK_SECRET … and GANGLION_APPROVAL_KEY. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Writes what is missing or differs from its source; returns the names written. */
export function installSecrets(store: SecretStore, { user, password, env }: InstallSecretsOptions): string[] {
  const written: string[] = [];
  const put = (name: string, value: string) => {
    if (store.read(name)?.toString('utf8').trim() === value) return;
    store.write(name, value);
    written.push(name);
  };
  // A key given to the gateway is the key; otherwise one is made once and kept (tokens signed with it stay valid).
  const key = env.GANGLION_APPROVAL_KEY;
  if (key) put(APPROVAL_KEY_SECRET, key);
  else if (!store.has(APPROVAL_KEY_SECRET)) put(APPROVAL_KEY_SECRET, randomBytes(32).toString('hex'));
  const step = env.GANGLION_STEP_KEY;
  if (step) put(STEP_KEY_SECRET, step);
  else if (!store.has(STEP_KEY_SECRET)) put(STEP_KEY_SECRET, randomBytes(32).toString('hex'));
  // These follow their source at every start: a changed gateway password must not leave the planner with the old one.
  put(SECRET.gatewayUser.name, user);
  put(SECRET.gatewayPassword.name, password);
  for (const s of [SECRET.slack, SECRET.webhook, SECRET.webhookKey, SECRET.github]) {
    const value = env[s.env];
    if (value) put(s.name, value);
  }
  return written;
}

/** Where the embedded stack keeps its admin token for the local CLI (0600): `ganglion` picks it up with no setup. */
export const adminTokenFile = (home: string) => path.join(home, 'admin-token');

/** A token made once into `file` (0600), its hash in the ganglion-api-tokens secret under `name` (other entries kept). */
function installToken(store: SecretStore, file: string, principal: Principal): string {
  let token = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (!token) {
    token = newApiToken();
    writeFileAtomic(file, `${token}\n`, { mode: 0o600 });
  }
  const current = store.read(TOKENS_SECRET)?.toString('utf8') ?? '';
  const next = withToken(current, { ...principal, sha256: hashApiToken(token) });
  if (next !== current) store.write(TOKENS_SECRET, next);
  return token;
}

/** The embedded stack's first principal: an admin token in $GANGLION_HOME/admin-token. Returns the token. */
export function installAdminToken(store: SecretStore, home: string): string {
  return installToken(store, adminTokenFile(home), { name: 'admin', role: 'admin' });
}

/**
 * The token the CronJobs automate creates call the gateway with (monitor checks, the weekly report: viewer is all
 * they need), kept in $GANGLION_HOME/invoke-token; the gateway copies it into the cluster's ganglion-invoke-token.
 */
export function installInvokeToken(store: SecretStore, home: string): string {
  return installToken(store, path.join(home, 'invoke-token'), { name: 'ganglion-invoke', role: 'viewer' });
}
