/** What clients see of a run: the stored record without engine internals, and the one-line summaries. */
import type { RunView, StepView } from '../../events/run-schema.js';
import type { RunRecord, StepRecord } from './run-store.js';

export function stepView(s: StepRecord): StepView {
  const { previewed: _p, approved: _a, superseded: _s, addedByModel: _m, ...view } = s;
  return view;
}

export function toView(run: RunRecord, token?: string): RunView {
  const { context: _c, traceparent: _t, hopsLeft: _h, eventSalt: _e, tokenHash: _k, replans: _r, considered: _cd, cluster: _cl, owner: _o, steps, approval, ...rest } = run;
  const view: RunView = { ...rest, steps: steps.map(stepView) };
  if (approval) view.approval = { ...approval, ...(token ? { token } : {}) };
  return view;
}

const live = (run: RunRecord) => run.steps.filter((s) => !s.superseded);

/** The line a person reads when the run ends or stops. */
export function summarise(run: RunRecord): string {
  const steps = live(run);
  switch (run.status) {
    case 'needs-input':
      return run.question ?? 'the request is ambiguous; say more';
    case 'awaiting-approval':
      return `approval needed: ${(run.approval?.changes ?? []).map((c) => c.text).join('; ') || 'the planned changes'}`;
    case 'rejected':
      return `rejected: nothing was changed (${steps.filter((s) => s.mutates).length} planned change${steps.filter((s) => s.mutates).length === 1 ? '' : 's'} dropped)`;
    case 'running': {
      const doing = steps.filter((s) => s.status === 'running').map((s) => s.fn);
      const done = steps.filter((s) => s.status === 'completed').length;
      return `still running (${done}/${steps.length} steps done${doing.length ? `; now ${doing.join(', ')}` : ''}); follow it at /function/planner/runs/${run.runId}`;
    }
    case 'failed': {
      if (run.error && !steps.some((s) => s.status === 'failed' || s.status === 'rejected')) return `failed: ${run.error.message}`;
      const failed = steps.filter((s) => s.status === 'failed' || (s.status === 'rejected' && s.error));
      // a compensating step says what it made up for: "after verify failed: set image … 2.1 → 2.0"
      const done = steps.filter((s) => s.status === 'completed' && s.summary)
        .map((s) => (s.onFailureOf ? `after ${steps.find((o) => o.id === s.onFailureOf)?.fn ?? s.onFailureOf} failed: ${s.summary as string}` : s.summary as string));
      const skipped = steps.filter((s) => s.status === 'skipped').length;
      const why = failed.map((s) => `${s.fn} ${s.status === 'rejected' ? 'refused' : 'failed'}: ${s.error?.message ?? s.summary ?? 'unknown error'}`).join('; ');
      return [why, ...done.map((d) => `done: ${d}`), skipped ? `${skipped} step${skipped === 1 ? '' : 's'} not run` : '', run.conclusion ?? ''].filter(Boolean).join('; ');
    }
    default: {
      const lines = steps.filter((s) => s.status === 'completed').map((s) => s.summary ?? `${s.fn} done`);
      return [...lines, ...(run.conclusion ? [run.conclusion] : [])].join('; ') || 'nothing to do';
    }
  }
}
