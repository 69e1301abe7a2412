/**
 * Server-side apply for one field manager at a time: the applied configuration merges like a strategic patch, and
 * fields the same manager applied before but leaves out now are removed. Ownership is kept in metadata.managedFields
 * (FieldsV1); conflicts between managers are not detected.
 */
import { obj, type JsonMap } from '../json-fields.js';
import { applyStrategicMergePatch, mergeKeyFor } from './strategic-merge.js';

type FieldSet = { [key: string]: FieldSet };
const SKIPPED = new Set(['apiVersion', 'kind']);
const SKIPPED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'generation']);

/** The fields an applied configuration sets, in FieldsV1 form (`f:spec`, `k:{"name":"app"}`). */
export function fieldsOf(value: JsonMap, path: string[] = []): FieldSet {
  const out: FieldSet = {};
  for (const [key, v] of Object.entries(value)) {
    if (path.length === 0 && SKIPPED.has(key)) continue;
    if (path.length === 1 && path[0] === 'metadata' && SKIPPED_META.has(key)) continue;
    const mergeKey = Array.isArray(v) ? mergeKeyFor(key, path) : undefined;
    if (Array.isArray(v) && mergeKey) {
      const items: FieldSet = {};
      for (const item of v.map(obj)) items[`k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`] = { '.': {}, ...fieldsOf(item, [...path, key]) };
      out[`f:${key}`] = items;
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[`f:${key}`] = fieldsOf(obj(v), [...path, key]);
    } else out[`f:${key}`] = {};
  }
  return out;
}

/** Removes from `target` (in place) what `before` owned and `after` no longer does. */
function prune(target: JsonMap, before: FieldSet, after: FieldSet, path: string[]): void {
  for (const [key, children] of Object.entries(before)) {
    if (!key.startsWith('f:')) continue;
    const field = key.slice(2);
    const kept = after[key];
    if (!kept) {
      delete target[field];
      continue;
    }
    const value = target[field];
    if (Array.isArray(value)) {
      const mergeKey = mergeKeyFor(field, path);
      if (!mergeKey) continue;
      target[field] = value.filter((item) => {
        const id = `k:${JSON.stringify({ [mergeKey]: obj(item)[mergeKey] })}`;
        if (!children[id]) return true;
        if (!kept[id]) return false;
        prune(obj(item), children[id], kept[id], [...path, field]);
        return true;
      });
    } else if (value !== null && typeof value === 'object') {
      prune(obj(value), children, kept, [...path, field]);
    }
  }
}

interface ManagedFields { manager?: string; operation?: string; apiVersion?: string; time?: string; fieldsType?: string; fieldsV1?: FieldSet }

/** The object after `manager` applies `applied` to `current` (an empty object when creating). */
export function serverSideApply(current: JsonMap, applied: JsonMap, manager: string, time: string): JsonMap {
  const managed = (Array.isArray(obj(current.metadata).managedFields) ? (obj(current.metadata).managedFields as ManagedFields[]) : []);
  const mine = managed.find((m) => m.manager === manager && m.operation === 'Apply');
  const owned = fieldsOf(applied);
  const base = structuredClone(current);
  if (mine?.fieldsV1) prune(base, mine.fieldsV1, owned, []);
  const merged = applyStrategicMergePatch(base, applied);
  const entry: ManagedFields = { manager, operation: 'Apply', apiVersion: String(applied.apiVersion ?? current.apiVersion ?? ''), time, fieldsType: 'FieldsV1', fieldsV1: owned };
  merged.metadata = { ...obj(merged.metadata), managedFields: [...managed.filter((m) => m !== mine), entry] };
  return merged;
}
