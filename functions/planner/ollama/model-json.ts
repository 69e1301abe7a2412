/** Reads a model's answer as JSON, leniently; what the plan may hold is plan-check.ts's to say. */
import type { Checked } from '../plan-check.js';

/** Reads JSON out of a model's text: bare, in a ```json fence, or the outermost {...} inside prose. */
export function safeParseModelJson(text: string): Checked<unknown> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'the answer was empty' };
  const candidates = [trimmed];
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(trimmed);
  if (fenced) candidates.push(fenced[1].trim());
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  let firstError = '';
  for (const c of candidates) {
    try {
      return { ok: true, value: JSON.parse(c) };
    } catch (err) {
      firstError ||= (err as Error).message;
    }
  }
  if (first < 0) return { ok: false, error: `the answer is prose, not JSON (it starts "${trimmed.slice(0, 60).replace(/\s+/g, ' ')}…")` };
  return { ok: false, error: `the answer is not valid JSON (${firstError})` };
}
