/**
 * Approval tokens: a mutating function runs only with proof that the planner's approval gate let this exact
 * step through (an HMAC over run, step, function and input), and an Approval object the planner recorded for that
 * signature, spent once. A dry run needs no proof: it changes nothing.
 * The key comes from GANGLION_APPROVAL_KEY or the OpenFaaS secret ganglion-approval-key (<secretsDir>/ganglion-approval-key).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeConfig } from '../kernel/config.js';
import { canonicalJson } from '../kernel/canonical-json.js';
import { GanglionError } from '../kernel/errors.js';
import type { GanglionObject, StateClient } from '../cluster-state/ganglion-objects.js';

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

/** What the planner records when a step is approved, for the mutating function to spend once. */
export type ApprovalSpec = { runId: string; stepId: string; function: string; approvedBy: string; expiresAt: string };
export type ApprovalObject = GanglionObject<ApprovalSpec, { spentAt?: string; spentBy?: string }>;

/**
 * The Approval object of a signature: named by its hash, so reading approvals (kubectl get approvals) never hands
 * out a signature a function would accept.
 */
export const approvalName = (signature: string) => `approval-${createHash('sha256').update(signature).digest('hex').slice(0, 40)}`;

/**
 * Records an approved step as an Approval object. The same step approved again (its signature is the same) keeps
 * the first object: whether it was spent is what counts.
 */
export async function recordApproval(state: StateClient, signature: string, spec: ApprovalSpec): Promise<void> {
  try {
    await state.create<ApprovalObject>('approvals', { metadata: { name: approvalName(signature), labels: { 'ganglion.dev/run': spec.runId } }, spec });
  } catch (err) {
    if (!(err instanceof GanglionError) || err.code !== 'already_exists') throw err;
  }
}

/**
 * Spends the approval a valid signature points to, once across every replica of every function: the write carries
 * the resourceVersion it was read at, so of two spenders the second fails 409. 403 when the planner recorded no
 * such approval or it has expired; 409 when it was spent before.
 */
export async function spendApproval(state: StateClient, signature: string, step: { runId: string; stepId: string; fn: string; by: string; now: Date }): Promise<void> {
  const what = `this approval (run ${step.runId}, step ${step.stepId})`;
  const obj = await state.get<ApprovalObject>('approvals', approvalName(signature));
  if (!obj || obj.spec.runId !== step.runId || obj.spec.stepId !== step.stepId || obj.spec.function !== step.fn) {
    throw new GanglionError(403, 'approval_required', `${what} is signed but the planner recorded no Approval object for it in namespace ${state.namespace}; ${step.fn} applies only steps the planner approved — ask the planner again`);
  }
  if (Date.parse(obj.spec.expiresAt) < step.now.getTime()) {
    throw new GanglionError(403, 'approval_expired', `${what} expired at ${obj.spec.expiresAt}; nothing was changed — send the command again`);
  }
  if (obj.status?.spentAt) throw alreadyUsed(what, step.fn, obj.status.spentAt);
  try {
    await state.replace<ApprovalObject>('approvals', { ...obj, status: { spentAt: step.now.toISOString(), spentBy: step.by } });
  } catch (err) {
    if (err instanceof GanglionError && err.code === 'conflict') throw alreadyUsed(what, step.fn, 'the same moment, by another replica');
    throw err;
  }
}

function alreadyUsed(what: string, fn: string, when: string): GanglionError {
  return new GanglionError(409, 'approval_already_used', `${what} was already used by ${fn} (at ${when}); an approved change is applied once — start a new run to change it again`);
}
