/**
 * The run as the CLI reads it: the planner's own run type (events/run-schema.ts, imported as a type only), checked
 * by hand from unknown JSON so the CLI starts without a schema library.
 */
import type { RunView, StepView } from '../events/run-schema.js';

export type { RunView, StepView };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optional = (v: unknown, type: 'string' | 'object') => v === undefined || (type === 'object' ? isObject(v) : typeof v === type);

const isChanges = (v: unknown) => Array.isArray(v) && v.every((c) => isObject(c) && typeof c.object === 'string' && typeof c.field === 'string');

function isStep(v: unknown): boolean {
  if (!isObject(v) || typeof v.id !== 'string' || typeof v.fn !== 'string' || typeof v.status !== 'string' || typeof v.mutates !== 'boolean') return false;
  if (!optional(v.summary, 'string') || !optional(v.why, 'string')) return false;
  if (v.error !== undefined && !(isObject(v.error) && typeof v.error.message === 'string')) return false;
  return v.changes === undefined || isChanges(v.changes);
}

/** The fields the CLI reads, with the types the planner sends them in; a newer planner's extra fields pass. */
function isRun(v: unknown): v is RunView {
  if (!isObject(v) || !v.runId || !['runId', 'status', 'summary', 'text', 'client', 'planner', 'createdAt'].every((k) => typeof v[k] === 'string')) return false;
  if (!Array.isArray(v.steps) || !v.steps.every(isStep) || !isObject(v.data) || !optional(v.question, 'string')) return false;
  return v.approval === undefined || (isObject(v.approval) && isChanges(v.approval.changes) && optional(v.approval.token, 'string') && typeof v.approval.approveUrl === 'string');
}

/** The run in whatever JSON came back, or undefined when it is not one. */
export const toRunView = (v: unknown): RunView | undefined => (isRun(v) ? v : undefined);
