/**
 * The one line a person reads for a change: "image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)".
 * Every renderer of a change (functions' summaries, the planner's approval text, the CLI, reports) uses these.
 */
import type { Change } from '../events/change.js';
import { describeImageChange } from './image-ref.js';

type ChangeValue = Pick<Change, 'field' | 'before' | 'after'>;

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

/** "3 → 5", "(none) → debug": two values of no known field. */
export const describeSides = (before: unknown, after: unknown) => `${show(before)} → ${show(after)}`;

/** "image placemyparents:1.4 → 2.0", "replicas 3 → 5", "restartedAt (none) → 2026-…" */
export function describeValue(change: ChangeValue): string {
  const { field, before, after } = change;
  if (field === 'image' && typeof before === 'string' && typeof after === 'string' && before && after) {
    return `image ${describeImageChange(before, after)}`;
  }
  return `${field} ${describeSides(before, after)}`;
}

/** The values alone, for a sentence that already names the object: "image placemyparents:2.0 → 1.4". */
export function describeValues(changes: readonly ChangeValue[]): string {
  return changes.map(describeValue).join(', ');
}

const whereOf = (c: Pick<Change, 'namespace' | 'cluster'>) => [c.namespace, c.cluster].filter(Boolean).join(', ');

/** One line per object: "image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)". */
export function describeChanges(changes: readonly Change[]): string {
  const byObject = new Map<string, Change[]>();
  for (const c of changes) {
    const key = `${c.cluster ?? ''}\u0000${c.namespace ?? ''}\u0000${c.object}`;
    byObject.set(key, [...(byObject.get(key) ?? []), c]);
  }
  return [...byObject.values()]
    .map((group) => {
      const first = group[0] as Change;
      const where = whereOf(first);
      return `${describeValues(group)} on ${first.object}${where ? ` (${where})` : ''}`;
    })
    .join('; ');
}
