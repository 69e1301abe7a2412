/**
 * The approval gate's rules: who may clear a run's waiting changes (the policy file, the client's yes, or a
 * person holding the run's single-use token), and which step may run next. Pure functions over the run record.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GanglionError } from '../../kernel/errors.js';
import { decide, type Policy } from './policy.js';
import type { Phase } from './run-steps.js';
import type { RunRecord, StepRecord } from './run-store.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest();

/**
 * A fresh token and the hash the run keeps (the token itself is never stored). Hex, not base64url: a token is typed
 * as a command-line argument (`ganglion approve <run> <token>`), where one starting with "-" would read as an option.
 */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('hex');
  return { token, hash: hashToken(token).toString('hex') };
}

/**
 * Policy or the client's yes may clear every waiting step; otherwise all wait for a person together.
 * A denied step is refused outright. Returns true when something changed and the run should go on.
 */
export function autoApprove(run: RunRecord, waiting: StepRecord[], policy: Policy): boolean {
  if (run.context.planOnly) return false;
  const verdicts = waiting.map((s) => ({ s, d: decide(policy, { fn: s.fn, input: s.input, changes: s.changes ?? [], cluster: typeof s.input.cluster === 'string' ? s.input.cluster : run.cluster }) }));
  for (const { s, d } of verdicts) {
    if (d.verdict === 'deny') {
      s.status = 'rejected';
      s.error = { code: 'policy_denied', message: d.reason };
    }
  }
  if (verdicts.some((v) => v.d.verdict === 'deny')) return true; // go on: dependents get skipped
  if (run.context.yes && policy.allowYes && !waiting.some((s) => s.addedByModel)) {
    // The starter said yes, and only a starter holding approver may (handler.ts): the audit names them.
    for (const s of waiting) { s.approved = true; s.approvedBy = run.client; }
    return true;
  }
  if (verdicts.every((v) => v.d.verdict === 'approve')) {
    for (const s of waiting) { s.approved = true; s.approvedBy = 'policy'; }
    return true;
  }
  return false;
}

/**
 * Who clears a waiting run: the holder of its single-use token (its starter, holding approver), or any principal
 * holding approver who names the run with their own credential (`{"token": …}` left out) — a bearer token is a
 * person's, never something a tool or a model's output carries.
 */
export type Approver = { token: unknown } | { principal: string };

/**
 * 409 when nothing waits, 403 for a wrong (compared in constant time, by hash) or expired token; an approver
 * naming the run with their own credential needs no token, but the approval still expires.
 */
export function checkToken(run: RunRecord, who: Approver, verb: string, now: Date): void {
  if (run.status !== 'awaiting-approval' || !run.tokenHash) {
    throw new GanglionError(409, 'run_not_awaiting_approval', `run ${run.runId} is ${run.status}, not awaiting approval; nothing was ${verb}`);
  }
  const token = 'token' in who ? who.token : undefined;
  const given = typeof token === 'string' && token ? hashToken(token) : Buffer.alloc(32);
  if ('token' in who && !timingSafeEqual(given, Buffer.from(run.tokenHash, 'hex'))) {
    throw new GanglionError(403, 'approval_denied', `that is not the approval token of run ${run.runId}; nothing was ${verb}. Use the token from the run's awaiting-approval answer, or leave it out to ${verb === 'applied' ? 'approve' : 'reject'} as yourself (role approver)`);
  }
  if (run.approval && Date.parse(run.approval.expiresAt) < now.getTime()) {
    throw new GanglionError(403, 'approval_expired', `the approval of run ${run.runId} expired at ${run.approval.expiresAt}; nothing was ${verb}. Send the command again`);
  }
}

/** What a step may do now: read, preview its change, apply it (once approved and nothing else waits), or be skipped. */
export function nextPhase(run: RunRecord, s: StepRecord, byId: Map<string, StepRecord>): Phase | 'skip' | undefined {
  const before = s.dependsOn.map((id) => byId.get(id));
  if (before.some((d) => !d || ['failed', 'skipped', 'rejected'].includes(d.status))) {
    return s.status === 'pending' || s.status === 'awaiting-approval' ? 'skip' : undefined;
  }
  const done = before.every((d) => d?.status === 'completed');
  // A compensating step runs only once the step it guards has failed; when that step succeeds (or never runs) it is not needed.
  const guard = s.onFailureOf === undefined ? undefined : byId.get(s.onFailureOf);
  if (s.onFailureOf !== undefined && (!guard || ['completed', 'skipped', 'rejected'].includes(guard.status))) {
    return s.status === 'pending' || s.status === 'awaiting-approval' ? 'skip' : undefined;
  }
  if (s.status === 'pending') {
    if (!s.mutates) return done ? 'read' : undefined;
    // A change may be previewed once what it depends on is done or itself previewed, so one approval covers all.
    return before.every((d) => d?.status === 'completed' || (d?.mutates && d.status === 'awaiting-approval' && d.previewed)) ? 'preview' : undefined;
  }
  if (s.status === 'awaiting-approval' && s.approved) {
    const gateOpen = !run.steps.some((o) => o.status === 'awaiting-approval' && !o.approved);
    return gateOpen && done && (!guard || guard.status === 'failed') ? 'apply' : undefined;
  }
  return undefined;
}
