/** Reads the `changes` a mutating function reports into the run's changes, each with the line a person reads. */
import { describeChanges } from '../../cluster/change-text.js';
import type { ChangeView } from '../../events/run-schema.js';

/** Reads `data.changes` (or `details.changes`) defensively: tool output is data, never trusted to be well-formed. */
export function changesFrom(stepId: string, fn: string, data: unknown): ChangeView[] {
  const list = data && typeof data === 'object' && Array.isArray((data as { changes?: unknown }).changes) ? (data as { changes: unknown[] }).changes : [];
  const out: ChangeView[] = [];
  for (const raw of list.slice(0, 100)) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as Record<string, unknown>;
    const object = typeof r.object === 'string' ? r.object.slice(0, 200) : '(unknown object)';
    const field = typeof r.field === 'string' ? r.field.slice(0, 100) : 'value';
    const view: ChangeView = { stepId, fn, object, field, before: r.before ?? null, after: r.after ?? null, text: '' };
    if (typeof r.namespace === 'string') view.namespace = r.namespace;
    if (typeof r.cluster === 'string') view.cluster = r.cluster;
    if (typeof r.container === 'string') view.container = r.container;
    view.text = describeChanges([view]);
    out.push(view);
  }
  return out;
}

export const isNoop = (c: ChangeView) => JSON.stringify(c.before) === JSON.stringify(c.after);
