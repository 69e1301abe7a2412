/**
 * Strategic merge patch as the API server applies it to built-in types: maps merge, `null` deletes, lists
 * of containers/env/ports/volumes... merge by their key, `$patch`, `$setElementOrder` and
 * `$deleteFromPrimitiveList` directives are honoured; other lists replace.
 */
import { KubeStatusError } from '../kube-status-error.js';

type Json = unknown;
type JsonMap = Record<string, Json>;
const isObject = (v: Json): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The merge key of a list field, from the Kubernetes Go types' patchMergeKey tags. */
export function mergeKeyFor(field: string, path: string[]): string | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets': case 'resourceClaims': case 'readinessGates':
      return field === 'readinessGates' ? 'conditionType' : 'name';
    case 'ports':
      return path.includes('containers') || path.includes('initContainers') ? 'containerPort' : 'port';
    case 'volumeMounts': return 'mountPath';
    case 'volumeDevices': return 'devicePath';
    case 'conditions': return 'type';
    case 'ownerReferences': return 'uid';
    case 'hostAliases': return 'ip';
    case 'topologySpreadConstraints': return 'topologyKey';
    case 'addresses': return path.includes('status') && !path.includes('subsets') ? 'type' : undefined;
    default: return undefined;
  }
}

/** Lists of scalars that merge (set union) instead of replacing. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

function mergeList(original: Json[], patch: Json[], field: string, path: string[]): Json[] {
  const key = mergeKeyFor(field, path);
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace'));
  }
  if (!key) {
    if (MERGED_SCALAR_LISTS.has(field)) return [...new Set([...original, ...patch])];
    return structuredClone(patch);
  }
  const out = original.map((item) => structuredClone(item));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = mergeValue(out[index], item, [...path, field]);
    else out.push(mergeValue(undefined, item, [...path, field]));
  }
  return out;
}

function orderBy(list: Json[], order: Json[], key: string | undefined): Json[] {
  const id = (v: Json) => (key && isObject(v) ? JSON.stringify(v[key]) : JSON.stringify(v));
  const rank = new Map(order.map((o, i) => [id(o), i]));
  return [...list].sort((a, b) => (rank.get(id(a)) ?? Number.MAX_SAFE_INTEGER) - (rank.get(id(b)) ?? Number.MAX_SAFE_INTEGER));
}

function mergeMap(original: JsonMap, patch: JsonMap, path: string[]): JsonMap {
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: JsonMap = { ...original };
  const retainKeys = Array.isArray(patch.$retainKeys) ? patch.$retainKeys.map(String) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      if (Array.isArray(out[field])) out[field] = (out[field] as Json[]).filter((v) => !drop.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    if (isObject(value) && value.$patch === 'delete') {
      delete out[key];
      continue;
    }
    if (Array.isArray(value)) {
      out[key] = mergeList(Array.isArray(out[key]) ? (out[key] as Json[]) : [], value, key, path);
    } else out[key] = mergeValue(out[key], value, [...path, key]);
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith('$setElementOrder/') || !Array.isArray(order)) continue;
    const field = key.slice('$setElementOrder/'.length);
    if (Array.isArray(out[field])) out[field] = orderBy(out[field] as Json[], order, mergeKeyFor(field, path));
  }
  if (retainKeys) for (const key of Object.keys(out)) if (!retainKeys.includes(key)) delete out[key];
  return out;
}

function mergeValue(original: Json, patch: Json, path: string[]): Json {
  if (isObject(patch)) return mergeMap(isObject(original) ? original : {}, patch, path);
  return structuredClone(patch);
}

/** Applies a strategic merge patch to a copy of the object. */
export function applyStrategicMergePatch(original: JsonMap, patch: Json): JsonMap {
  if (!isObject(patch)) throw new KubeStatusError(400, 'BadRequest', 'the strategic merge patch must be a JSON object');
  return mergeMap(original, patch, []);
}
