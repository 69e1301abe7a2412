/**
 * The step key: what Ganglion's own callers sign every call with (access/step-signature.ts) and every function
 * checks. It is its own secret, ganglion-step-key, so a read tool that must check the planner's calls never holds
 * the approval key that authorises changes. Where only the approval key is set (GANGLION_APPROVAL_KEY in tests and
 * single-process setups) the step key is derived from it, one way, so both ends still agree.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeConfig } from '../kernel/config.js';
import { approvalKey } from './approval-token.js';

export const STEP_KEY_SECRET = 'ganglion-step-key';

function readSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw err;
  }
}

/** The step key; a 503 naming the secret (from approvalKey) when neither it nor the approval key is there. */
export function stepKey(config: Pick<RuntimeConfig, 'env' | 'alerts'>): Buffer {
  const fromEnv = config.env.GANGLION_STEP_KEY;
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const fromFile = readSecret(path.join(config.alerts.secretsDir, STEP_KEY_SECRET));
  if (fromFile) return Buffer.from(fromFile, 'utf8');
  return createHmac('sha256', approvalKey(config)).update('ganglion-step-key').digest();
}
