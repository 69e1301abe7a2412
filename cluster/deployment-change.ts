/**
 * The changes a mutating step makes (or would make), as data a program reads and the one line a person
 * reads: "image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)".
 */
import { describeImageChange } from './image-ref.js';

export interface Change {
  /** "deployment/placemyparents" */
  object: string;
  namespace: string;
  /** The kubeconfig context, when the step named one. */
  cluster?: string;
  /** 'image' | 'replicas' | 'restartedAt' | 'template' */
  field: string;
  /** The container, for image changes. */
  container?: string;
  before: string | number | null;
  after: string | number | null;
}

/** "image placemyparents:1.4 → 2.0", "replicas 3 → 5", "restartedAt (never) → 2026-…" */
export function describeValue(change: Change): string {
  if (change.field === 'image' && typeof change.before === 'string' && typeof change.after === 'string') {
    return `image ${describeImageChange(change.before, change.after)}`;
  }
  const show = (v: Change['before']) => (v === null ? '(none)' : String(v));
  return `${change.field} ${show(change.before)} → ${show(change.after)}`;
}

/** The values alone, for a sentence that already names the object: "image placemyparents:2.0 → 1.4". */
export function describeValues(changes: readonly Change[]): string {
  return changes.map(describeValue).join(', ');
}

/** One line per object: "image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)". */
export function describeChanges(changes: readonly Change[]): string {
  const byObject = new Map<string, Change[]>();
  for (const c of changes) {
    const key = `${c.cluster ?? ''}\u0000${c.namespace}\u0000${c.object}`;
    byObject.set(key, [...(byObject.get(key) ?? []), c]);
  }
  return [...byObject.values()]
    .map((group) => {
      const first = group[0] as Change;
      const where = first.cluster ? `${first.namespace}, ${first.cluster}` : first.namespace;
      return `${group.map(describeValue).join(', ')} on ${first.object} (${where})`;
    })
    .join('; ');
}
