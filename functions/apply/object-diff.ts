/**
 * What applying an object changes, field by field: every field the manifest sets when the object is new, else every
 * field the server's dry run would change (its bookkeeping — status, resourceVersion, managedFields — left out).
 */
import type { Change } from '../../events/change.js';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fields the server keeps for itself: not something a person changes by applying. */
const BOOKKEEPING = new Set(['status', 'metadata.managedFields', 'metadata.resourceVersion', 'metadata.generation', 'metadata.uid', 'metadata.creationTimestamp', 'metadata.selfLink']);
/** Named by the change's object already. */
const IDENTITY = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);
/** More fields than a person reads for one object in an approval. */
export const MAX_FIELDS = 25;
/** A value longer than this (a ConfigMap's file) is shown by its size: the approval and the audit stay small. */
export const MAX_VALUE_CHARS = 200;

/** The value as shown: itself, or its first characters and its size when it is long. */
export function shown(v: unknown): unknown {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  if (text.length <= MAX_VALUE_CHARS) return v;
  return `${text.slice(0, MAX_VALUE_CHARS - 40)}… (${Buffer.byteLength(text)} bytes)`;
}

/** path → value for every scalar (and every list of scalars) under `value`. */
export function leaves(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (BOOKKEEPING.has(path)) return out;
  if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(value) && value.some((v) => isMap(v) || Array.isArray(v))) {
    value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
  } else if (path && !IDENTITY.has(path)) out.set(path, value);
  return out;
}

export interface ObjectRef { kind: string; name: string; namespace?: string; cluster?: string }

const objectOf = (r: ObjectRef) => `${r.kind.toLowerCase()}/${r.name}`;
const where = (r: ObjectRef) => ({ ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.cluster ? { cluster: r.cluster } : {}) });

function capped(ref: ObjectRef, changes: Change[]): Change[] {
  if (changes.length <= MAX_FIELDS) return changes;
  const left = changes.length - MAX_FIELDS + 1;
  return [...changes.slice(0, MAX_FIELDS - 1), { object: objectOf(ref), ...where(ref), field: `(${left} more fields)`, before: null, after: `${left} more` }];
}

/** A new object: "created", then each field the manifest sets. */
export function createdChanges(ref: ObjectRef, applied: Json): Change[] {
  const fields = [...leaves(applied)].map(([field, after]): Change => ({ object: objectOf(ref), ...where(ref), field, before: null, after: shown(after) }));
  return capped(ref, [{ object: objectOf(ref), ...where(ref), field: 'object', before: null, after: 'created' }, ...fields]);
}

/** An existing object: each field whose value the dry run changes; one unchanged marker when none does. */
export function updatedChanges(ref: ObjectRef, before: Json, after: Json): Change[] {
  const a = leaves(before);
  const b = leaves(after);
  const changed: Change[] = [];
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(field) ?? null;
    const y = b.get(field) ?? null;
    if (JSON.stringify(x) !== JSON.stringify(y)) changed.push({ object: objectOf(ref), ...where(ref), field, before: shown(x), after: shown(y) });
  }
  if (!changed.length) return [{ object: objectOf(ref), ...where(ref), field: 'object', before: 'unchanged', after: 'unchanged' }];
  return capped(ref, changed);
}
