/**
 * Fits a planned step's input to the function's own schema: canonical names the intents use (name, tag,
 * replicas…) are renamed to what the schema calls them, `{{s1.data.x}}` references take earlier results, and
 * the schema parses it — the parsed value is what runs and what an approval signs.
 */
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { formatIssues } from '../../kernel/zod-issues.js';

const ALIASES: Record<string, string[]> = {
  name: ['deployment', 'pod', 'target', 'app', 'workload'],
  namespace: ['ns'],
  tag: ['version'],
  replicas: ['count', 'replicaCount'],
  tailLines: ['tail', 'lines'],
};

function shapeKeys(meta: FunctionMeta): Set<string> | undefined {
  const shape = (meta.input as { shape?: unknown }).shape;
  return shape && typeof shape === 'object' ? new Set(Object.keys(shape)) : undefined;
}

/** Renames keys the schema does not know to an alias it does. */
export function fitInput(meta: FunctionMeta, input: Record<string, unknown>): Record<string, unknown> {
  const keys = shapeKeys(meta);
  if (!keys) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (keys.has(k)) { out[k] = v; continue; }
    const alias = (ALIASES[k] ?? []).find((a) => keys.has(a) && !(a in input));
    out[alias ?? k] = v;
  }
  return out;
}

export function acceptsField(meta: FunctionMeta, field: string): boolean {
  return shapeKeys(meta)?.has(field) ?? false;
}

const REF = /^\{\{\s*([a-z0-9-]+)\.([\w.]+)\s*\}\}$/i;

/** Replaces `{{step.path}}` strings by values from earlier step results (whole-string refs keep their type). */
export function resolveRefs(value: unknown, results: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const m = REF.exec(value);
    if (!m) return value;
    let cur: unknown = results[m[1] as string];
    for (const part of (m[2] as string).split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
    return cur;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, results));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, results)]));
  return value;
}

export function hasRefs(value: unknown): boolean {
  if (typeof value === 'string') return REF.test(value);
  if (Array.isArray(value)) return value.some(hasRefs);
  if (value && typeof value === 'object') return Object.values(value).some(hasRefs);
  return false;
}

export type Checked = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

export function checkInput(meta: FunctionMeta, input: Record<string, unknown>): Checked {
  const parsed = meta.input.safeParse(fitInput(meta, input));
  if (!parsed.success) return { ok: false, error: `invalid input for ${meta.name}: ${formatIssues(parsed.error)}` };
  const value = parsed.data;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: `${meta.name}'s schema does not describe an object input` };
  return { ok: true, value: value as Record<string, unknown> };
}
