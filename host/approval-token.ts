/**
 * Approval tokens: a mutating function runs only with proof that the planner's approval gate let this exact
 * step through (an HMAC over run, step, function and input). A dry run needs no proof: it changes nothing.
 * The key comes from GANGLION_APPROVAL_KEY or the OpenFaaS secret ganglion-approval-key (<secretsDir>/ganglion-approval-key).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeConfig } from '../kernel/config.js';
import { canonicalJson } from '../kernel/canonical-json.js';
import { GanglionError } from '../kernel/errors.js';

const SECRET_NAME = 'ganglion-approval-key';

/** The approval key; a 503 naming the secret and how to create it when there is none (nothing is signed or applied without it). */
export function approvalKey(config: Pick<RuntimeConfig, 'env' | 'alerts'>): Buffer {
  const fromEnv = config.env.GANGLION_APPROVAL_KEY;
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const file = path.join(config.alerts.secretsDir, SECRET_NAME);
  let key = '';
  try {
    key = readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }
  if (key) return Buffer.from(key, 'utf8');
  throw new GanglionError(503, 'approval_key_missing', `no approval key: the secret ${SECRET_NAME} is not at ${file} and GANGLION_APPROVAL_KEY is not set, so approved changes can be neither signed nor checked; create it once with: faas-cli secret create ${SECRET_NAME} --from-literal "$(openssl rand -hex 32)", and list it under secrets: of the planner and every function that changes the cluster in stack.yml`);
}

export interface ApprovedStep {
  runId: string;
  stepId: string;
  fn: string;
  input: unknown;
}

export function signApproval(key: Buffer, step: ApprovedStep): string {
  return createHmac('sha256', key).update(`${step.runId}\n${step.stepId}\n${step.fn}\n${canonicalJson(step.input)}`).digest('hex');
}

export function verifyApproval(key: Buffer, step: ApprovedStep, token: string | undefined): boolean {
  if (!token || !/^[0-9a-f]{64}$/.test(token)) return false;
  const want = Buffer.from(signApproval(key, step), 'hex');
  return timingSafeEqual(want, Buffer.from(token, 'hex'));
}

/**
 * Approval tokens already spent by this function: a captured approved event re-sent with a new id must not
 * apply its change again. Kept in memory and appended to $GANGLION_HOME/approvals-used so a restart remembers.
 * (Retries with the same event id never get here: the replay cache answers them.)
 */
export class SpentApprovals {
  private spent: Set<string> | undefined;
  constructor(private readonly file: string) {}

  private load(): Set<string> {
    if (this.spent) return this.spent;
    this.spent = new Set(existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n').filter(Boolean) : []);
    return this.spent;
  }

  /** Records the token; false when it was spent before. */
  spend(token: string): boolean {
    const spent = this.load();
    if (spent.has(token)) return false;
    spent.add(token);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(this.file, `${token}\n`, { flag: 'a', mode: 0o600 });
    } catch {
      // Read-only filesystem (a function pod): memory alone still stops replays within this process.
    }
    return true;
  }
}
