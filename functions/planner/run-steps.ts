/**
 * Runs one step of a run through the gateway: a read, the dry-run preview of a change, or the approved change
 * itself (signed approval, audit lines before and after). Tool output only ever becomes data on the step.
 */
import type { InvokeOptions, InvokeResult } from '../../events/invoke-function.js';
import { EVENT } from '../../events/event-types.js';
import { appendAudit } from '../../audit/audit-log.js';
import type { StateClient } from '../../cluster-state/ganglion-objects.js';
import { recordApproval, signApproval } from '../../host/approval-token.js';
import { GanglionError, toPublicError } from '../../kernel/errors.js';
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { changesFrom, isNoop } from './step-changes.js';
import type { ChangeView } from '../../events/run-schema.js';
import type { RunRecord, StepRecord } from './run-store.js';
import { acceptsField, checkInput, resolveRefs } from './step-input.js';

export type Invoker = (opts: InvokeOptions) => Promise<InvokeResult>;
export type Phase = 'read' | 'preview' | 'apply';

export interface StepDeps {
  /** Where the audit records go (AuditRecord objects) and an approved step's Approval object is recorded before the step is sent. */
  state: StateClient;
  invoke: Invoker;
  gatewayUrl: string;
  approvalKey: () => Buffer;
  /** What every step call is signed with (host/step-key.ts), so the function knows the planner sent it; absent in tests whose invoker is a fake. */
  stepKey?: () => Buffer;
  /** How long a recorded approval may wait to be spent (config.planner.approvalTtlMs). */
  approvalTtlMs: number;
  stepTimeoutMs: number;
  now: () => Date;
}

/** Results of finished steps by id, `{summary, data}`, for `{{s1.data.x}}` references. */
export function resultsOf(run: RunRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of run.steps) if (s.status === 'completed') out[s.id] = { summary: s.summary, data: s.data };
  return out;
}

/** The input the function will parse, as it will parse it (defaults filled): what runs and what is signed. */
export function stepInput(run: RunRecord, step: StepRecord, meta: FunctionMeta, phase: Phase): ReturnType<typeof checkInput> {
  const resolved = resolveRefs(step.input, resultsOf(run)) as Record<string, unknown>;
  const input: Record<string, unknown> = { ...resolved };
  if (run.context.cluster && input.cluster === undefined && acceptsField(meta, 'cluster')) input.cluster = run.context.cluster;
  if (meta.mutates) input.dryRun = phase === 'preview';
  return checkInput(meta, input);
}

function byField(changes: ChangeView[], side: 'before' | 'after'): Record<string, unknown> | null {
  if (!changes.length) return null;
  return Object.fromEntries(changes.map((c) => [c.field, c[side]]));
}

async function audit(deps: StepDeps, run: RunRecord, step: StepRecord, input: Record<string, unknown>, changes: ChangeView[], result: string): Promise<void> {
  const first = changes[0];
  const name = typeof input.name === 'string' ? input.name : undefined;
  const objects = [...new Set(changes.map((c) => c.object))];
  const record = {
    time: deps.now().toISOString(),
    client: run.client, runId: run.runId, stepId: step.id, verb: step.fn,
    object: objects.join(', ') || (name ? `deployment/${name}` : `(chosen by ${step.fn})`),
    namespace: first?.namespace ?? (typeof input.namespace === 'string' ? input.namespace : undefined),
    cluster: first?.cluster ?? (typeof input.cluster === 'string' ? input.cluster : run.cluster),
    before: byField(changes, 'before'), after: byField(changes, 'after'), result,
    ...(step.approvedBy ? { approvedBy: step.approvedBy } : {}),
  };
  // A record is never dropped quietly: a cluster that blinks gets two more tries (a duplicate beats a lost record),
  // then the error stops the run, saying the change may have been made without its record.
  for (let attempt = 1; ; attempt++) {
    try {
      await appendAudit(deps.state, record);
      return;
    } catch (err) {
      if (attempt >= 3 || !(err instanceof GanglionError) || err.status < 500) throw err;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

/**
 * The same id for the same step and phase, so a repeat is answered from the function's dedupe, not applied again;
 * the run's random salt keeps anyone else from sending an event under that id first. (Runs stored before the salt
 * existed keep their old ids.)
 */
export function stepEventId(run: RunRecord, step: StepRecord, phase: Phase): string {
  return `${run.runId}.${step.id}.${phase}${run.eventSalt ? `.${run.eventSalt}` : ''}`;
}

function readAnswer(res: InvokeResult): { ok: true; summary: string; data: unknown } | { ok: false; code: string; message: string; details?: unknown } {
  const body = res.event.data;
  if (res.status < 400 && res.event.type === EVENT.stepCompleted && body && typeof body === 'object') {
    const b = body as { summary?: unknown; data?: unknown };
    return { ok: true, summary: typeof b.summary === 'string' ? b.summary : '(no summary)', data: b.data };
  }
  const err = body && typeof body === 'object' ? (body as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error : undefined;
  return {
    ok: false,
    code: typeof err?.code === 'string' ? err.code : `http_${res.status}`,
    message: typeof err?.message === 'string' ? err.message : `answered ${res.status} ${res.event.type}`,
    details: err?.details,
  };
}

/**
 * "Roll back the last deployment" previews whichever Deployment rolled out last; the approved change must hit
 * that same object even if another rollout happens in between, so the preview's object is written into the input.
 */
function pinTarget(step: StepRecord, changes: ChangeView[]): void {
  if (typeof step.input.name === 'string' || changes.length === 0) return;
  const objects = [...new Set(changes.map((c) => `${c.namespace ?? ''}/${c.object}`))];
  const first = changes[0];
  if (objects.length !== 1 || !first || !first.object.startsWith('deployment/')) return;
  step.input = { ...step.input, name: first.object.slice('deployment/'.length), ...(first.namespace ? { namespace: first.namespace } : {}) };
}

/**
 * A function that pins its diff (config-sync's `diffHash`) gets the preview's pin written into the input, so the
 * approval signs it and the apply is refused (409) if the source or target moved between preview and approval.
 */
function pinDiff(step: StepRecord, meta: FunctionMeta, data: unknown): void {
  const hash = data && typeof data === 'object' ? (data as { diffHash?: unknown }).diffHash : undefined;
  if (typeof hash === 'string' && acceptsField(meta, 'diffHash')) step.input = { ...step.input, diffHash: hash };
}

/** Runs the step in the given phase and records the outcome on it. Never throws for a step's own failure. */
export async function executeStep(deps: StepDeps, run: RunRecord, step: StepRecord, meta: FunctionMeta, phase: Phase, signal: AbortSignal): Promise<void> {
  const checked = stepInput(run, step, meta, phase);
  if (!checked.ok) {
    step.status = 'failed';
    step.error = { code: 'invalid_input', message: checked.error };
    return;
  }
  const input = checked.value;
  if (phase === 'preview' && step.onFailureOf) {
    // A compensating step cannot be previewed now: it undoes what the steps before it will have done. The person
    // approves the call itself, shown with its condition, together with the rest of the plan.
    step.previewed = true;
    step.changes = [];
    step.summary = `would run ${step.fn} only if step ${step.onFailureOf} fails`;
    step.status = 'awaiting-approval';
    return;
  }
  let answer: ReturnType<typeof readAnswer>;
  try {
    // Signed inside the try: without an approval key the step fails saying which secret is missing (503), nothing is sent.
    const approval = phase === 'apply' ? signApproval(deps.approvalKey(), { runId: run.runId, stepId: step.id, fn: step.fn, input }) : undefined;
    if (phase === 'apply') await audit(deps, run, step, input, step.changes ?? [], 'attempt');
    if (approval) {
      const expiresAt = new Date(deps.now().getTime() + deps.approvalTtlMs).toISOString();
      await recordApproval(deps.state, approval, { runId: run.runId, stepId: step.id, function: step.fn, approvedBy: step.approvedBy ?? 'person', expiresAt });
    }
    const res = await deps.invoke({
      gatewayUrl: deps.gatewayUrl, fn: step.fn, input, runId: run.runId, stepId: step.id, traceparent: run.traceparent,
      hopsLeft: run.hopsLeft, timeoutMs: deps.stepTimeoutMs, signal,
      id: stepEventId(run, step, phase),
      ...(approval ? { approval } : {}),
      ...(deps.stepKey ? { signKey: deps.stepKey() } : {}),
    });
    answer = readAnswer(res);
  } catch (err) {
    const pub = toPublicError(err);
    answer = { ok: false, code: pub.code, message: pub.message };
  }
  step.finishedAt = deps.now().toISOString();
  if (!answer.ok && phase === 'preview' && answer.code === 'approval_required') {
    // The function has no dry run (its schema lacks dryRun): nothing to preview, the person approves the call itself.
    step.previewed = true;
    step.changes = [];
    step.summary = `would run ${step.fn} (it cannot preview its changes)`;
    step.status = 'awaiting-approval';
    return;
  }
  if (!answer.ok) {
    step.status = 'failed';
    step.error = { code: answer.code, message: answer.message };
    const reported = changesFrom(step.id, step.fn, answer.details);
    if (reported.length) step.changes = reported;
    if (phase === 'apply') await audit(deps, run, step, input, reported.length ? reported : step.changes ?? [], `failed: ${answer.message}`);
    return;
  }
  step.summary = answer.summary;
  step.data = answer.data;
  if (phase === 'read') { step.status = 'completed'; return; }
  const changes = changesFrom(step.id, step.fn, answer.data);
  if (phase === 'preview') {
    step.changes = changes;
    step.previewed = true;
    pinTarget(step, changes);
    pinDiff(step, meta, answer.data);
    // Nothing would change (already at that image or size): done, no approval needed.
    step.status = changes.length > 0 && changes.every(isNoop) ? 'completed' : 'awaiting-approval';
    return;
  }
  if (changes.length) step.changes = changes;
  step.status = 'completed';
  await audit(deps, run, step, input, step.changes ?? [], 'applied');
}
