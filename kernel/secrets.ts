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
} as const;
