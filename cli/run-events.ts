/** Applies one event of a run's stream (plan, step, awaiting-approval, done) to the run as the CLI last saw it. */
import type { StreamEvent } from './event-stream.js';

type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function dataOf(ev: StreamEvent): Raw | undefined {
  try {
    const parsed: unknown = JSON.parse(ev.data);
    return isRecord(parsed) ? parsed : undefined;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined; // not JSON: an event this CLI cannot read changes nothing
    throw err;
  }
}

/** The run's JSON after `ev`, as the planner would answer GET /runs/<id> (plus the token, which only the stream carries). */
export function applyRunEvent(run: Raw, ev: StreamEvent): Raw {
  const data = dataOf(ev);
  if (!data) return run;
  switch (ev.event) {
    case 'plan':
      // A re-plan sends every step again, the added ones included.
      return { ...run, steps: Array.isArray(data.steps) ? data.steps : run.steps, ...(typeof data.planner === 'string' ? { planner: data.planner } : {}), ...(typeof data.intent === 'string' ? { intent: data.intent } : {}) };
    case 'step': {
      const steps = Array.isArray(run.steps) ? run.steps : [];
      const change = { status: data.status, ...(typeof data.summary === 'string' ? { summary: data.summary } : {}) };
      const known = steps.some((s) => isRecord(s) && s.id === data.stepId);
      return { ...run, steps: known ? steps.map((s) => (isRecord(s) && s.id === data.stepId ? { ...s, ...change } : s)) : [...steps, { id: data.stepId, fn: data.fn, ...change }] };
    }
    case 'awaiting-approval':
      return { ...run, status: 'awaiting-approval', approval: { changes: data.changes, approveUrl: data.approveUrl, ...(typeof data.token === 'string' ? { token: data.token } : {}) } };
    case 'done':
      // The whole run as it ended.
      return typeof data.runId === 'string' && typeof data.status === 'string' ? data : run;
    default:
      return run;
  }
}
