/** Reads a secret as OpenFaaS mounts it (<secretsDir>/<name>, trailing newline dropped), else the configured environment value. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeConfig } from './config.js';

export function readSecret(config: RuntimeConfig, name: string, fallback: string): string {
  try {
    const value = readFileSync(path.join(config.alerts.secretsDir, name), 'utf8').trim();
    if (value) return value;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES') throw err;
  }
  return fallback;
}

/** The secret names and their environment fallbacks, as README and stack.yml document them. */
export const SECRET = {
  slack: { name: 'slack-webhook-url', env: 'SLACK_WEBHOOK_URL' },
  webhook: { name: 'alert-webhook-url', env: 'GANGLION_ALERT_WEBHOOK_URL' },
  webhookKey: { name: 'alert-webhook-secret', env: 'GANGLION_ALERT_WEBHOOK_SECRET' },
  github: { name: 'github-webhook-secret', env: 'GITHUB_WEBHOOK_SECRET' },
  // The names OpenFaaS gives the gateway's own basic-auth secret; the embedded gateway writes the same file name.
  gatewayUser: { name: 'basic-auth-user', env: '' },
  gatewayPassword: { name: 'basic-auth-password', env: 'GANGLION_GATEWAY_PASSWORD' },
} as const;

/** The embedded gateway's password file, $GANGLION_HOME/basic-auth-password; '' when there is none. */
export function readGatewayPasswordFile(home: string): string {
  try {
    return readFileSync(path.join(home, SECRET.gatewayPassword.name), 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return '';
  }
}

export interface GatewayCredentials {
  user: string;
  password: string;
  /** Where the password came from, for messages: the secret, the variable or the embedded gateway's file. */
  from: string;
}

/**
 * The gateway's /system/* credentials: the OpenFaaS secrets basic-auth-user (default admin) and basic-auth-password,
 * else GANGLION_GATEWAY_PASSWORD, else the embedded gateway's $GANGLION_HOME/basic-auth-password; none = undefined.
 */
export function gatewayCredentials(config: RuntimeConfig): GatewayCredentials | undefined {
  const user = readSecret(config, SECRET.gatewayUser.name, 'admin');
  const secret = readSecret(config, SECRET.gatewayPassword.name, '');
  if (secret) return { user, password: secret, from: `secret ${SECRET.gatewayPassword.name}` };
  if (config.gateway.password) return { user, password: config.gateway.password, from: SECRET.gatewayPassword.env };
  const file = readGatewayPasswordFile(config.home);
  return file ? { user, password: file, from: path.join(config.home, SECRET.gatewayPassword.name) } : undefined;
}
