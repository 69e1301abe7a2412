/** Turns the `changes` a mutating function reports into ChangeViews a person reads: `image placemyparents:1.4 → 2.0`. */
import type { ChangeView } from './plan.js';

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

/** Same registry and repository on both sides: show only the tag move, as a person says it. */
function imageText(before: unknown, after: unknown): string {
  if (typeof before !== 'string' || typeof after !== 'string') return `${show(before)} → ${show(after)}`;
  const split = (ref: string) => {
    const at = ref.lastIndexOf(':');
    return at > ref.lastIndexOf('/') ? { repo: ref.slice(0, at), tag: ref.slice(at + 1) } : { repo: ref, tag: 'latest' };
  };
  const b = split(before);
  const a = split(after);
  if (b.repo === a.repo) return `${b.repo.split('/').pop()}:${b.tag} → ${a.tag}`;
  return `${before} → ${after}`;
}

export function changeText(c: Pick<ChangeView, 'object' | 'namespace' | 'field' | 'before' | 'after' | 'cluster'>): string {
  const value = c.field === 'image' ? `image ${imageText(c.before, c.after)}` : `${c.field} ${show(c.before)} → ${show(c.after)}`;
  const where = [c.namespace, c.cluster].filter(Boolean).join(', ');
  return `${value} on ${c.object}${where ? ` (${where})` : ''}`;
}

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
    view.text = changeText(view);
    out.push(view);
  }
  return out;
}

export const isNoop = (c: ChangeView) => JSON.stringify(c.before) === JSON.stringify(c.after);
