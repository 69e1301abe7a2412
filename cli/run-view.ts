import type { Change } from '../events/change.js';

/** What the CLI reads from the planner's run answer, narrowed from unknown JSON without a schema library (startup time). */

/** As functions/planner/plan.ts RunStatus; the CLI reads unknown statuses too (a newer planner). */
export type RunStatus = 'running' | 'awaiting-approval' | 'completed' | 'failed' | 'rejected' | 'needs-input';


export interface StepView {
  id: string;
  fn: string;
  status: string;
  summary: string;
  mutates: boolean;
  /** One line: why the planner chose this step (`docs-site: replicas 1 → 5`). */
  why?: string;
  changes: Change[];
  error?: string;
}

export interface RunView {
  runId: string;
  status: RunStatus | string;
  summary: string;
  steps: StepView[];
  data: unknown;
  planner?: string;
  /** The token is there only on the answer to the caller that started the run (or in its event stream), never on GET. */
  approval?: { token?: string; changes: Change[]; approveUrl?: string };
  question?: string;
  /** The JSON as the planner sent it, for --json. */
  raw: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);

function errorText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObject(v)) return str(v.message) || str(v.code) || undefined;
  return undefined;
}

export function toChanges(v: unknown): Change[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((c) => ({ object: str(c.object), field: str(c.field), before: c.before, after: c.after, ...(typeof c.namespace === 'string' && c.namespace ? { namespace: c.namespace } : {}) }));
}

function toStep(v: Record<string, unknown>, index: number): StepView {
  const data = isObject(v.data) ? v.data : {};
  const error = errorText(v.error);
  return {
    id: str(v.id, `s${index + 1}`),
    fn: str(v.fn) || str(v.function),
    status: str(v.status, 'pending'),
    summary: str(v.summary),
    mutates: v.mutates === true,
    changes: toChanges(v.changes ?? data.changes),
    ...(typeof v.why === 'string' && v.why ? { why: v.why } : {}),
    ...(error ? { error } : {}),
  };
}

/** Reads a run from whatever JSON came back; returns undefined when it is not a run ({runId, status, steps}). */
export function toRunView(v: unknown): RunView | undefined {
  if (!isObject(v)) return undefined;
  const runId = str(v.runId);
  if (!runId || typeof v.status !== 'string' || !Array.isArray(v.steps)) return undefined;
  const steps = v.steps.filter(isObject).map(toStep);
  const view: RunView = { runId, status: v.status, summary: str(v.summary), steps, data: v.data, raw: v };
  if (typeof v.planner === 'string') view.planner = v.planner;
  else if (isObject(v.planner) && typeof v.planner.name === 'string') view.planner = v.planner.name;
  if (isObject(v.approval)) {
    view.approval = { changes: toChanges(v.approval.changes) };
    if (typeof v.approval.token === 'string') view.approval.token = v.approval.token;
    if (typeof v.approval.approveUrl === 'string') view.approval.approveUrl = v.approval.approveUrl;
  }
  if (typeof v.question === 'string') view.question = v.question;
  else if (isObject(v.question) && typeof v.question.text === 'string') view.question = v.question.text;
  return view;
}
