/** RFC 6902 JSON Patch and RFC 7386 JSON Merge Patch over plain JSON values. */
import { KubeStatusError } from '../kube-status-error.js';

type Json = unknown;
type Container = Record<string, Json> | Json[];

const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

function invalid(message: string): KubeStatusError {
  return new KubeStatusError(422, 'Invalid', message);
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw invalid(`invalid JSON pointer "${path}": it must start with "/"`);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[], path: string): { parent: Container; key: string } {
  let current: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current)) current = current[part];
    else current = undefined;
    if (current === undefined) throw invalid(`doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(current) && !isObject(current)) throw invalid(`doc is missing path: "${path}": missing value`);
  return { parent: current, key: parts[parts.length - 1] };
}

function arrayIndex(arr: Json[], key: string, path: string, forInsert: boolean): number {
  if (forInsert && key === '-') return arr.length;
  const index = Number(key);
  if (!/^\d+$/.test(key) || index > arr.length || (!forInsert && index === arr.length)) throw invalid(`Unable to access invalid index: ${key} (path "${path}")`);
  return index;
}

function read(doc: Json, path: string): Json {
  const parts = pointer(path);
  if (parts.length === 0) return doc;
  const { parent, key } = parentOf(doc, parts, path);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, path, false)] : parent[key];
  if (value === undefined) throw invalid(`doc is missing path: "${path}": missing value`);
  return value;
}

function add(doc: Json, path: string, value: Json): Json {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: Json, path: string): Json {
  const parts = pointer(path);
  const { parent, key } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, false), 1);
  else {
    if (!(key in parent)) throw invalid(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  }
  return doc;
}

export interface JsonPatchOp { op: string; path: string; value?: Json; from?: string }

/** Applies an RFC 6902 op list to a copy of doc; 422 Invalid when an op cannot apply, as the API server answers. */
export function applyJsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new KubeStatusError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw new KubeStatusError(400, 'BadRequest', 'json patch operations need "op" and "path"');
    const op: JsonPatchOp = { op: raw.op, path: raw.path, value: raw.value, ...(typeof raw.from === 'string' ? { from: raw.from } : {}) };
    switch (op.op) {
      case 'add': out = add(out, op.path, structuredClone(op.value)); break;
      case 'remove': out = remove(out, op.path); break;
      case 'replace': read(out, op.path); out = add(remove(out, op.path), op.path, structuredClone(op.value)); break;
      case 'move': { const v = read(out, op.from ?? ''); out = add(remove(out, op.from ?? ''), op.path, v); break; }
      case 'copy': out = add(out, op.path, structuredClone(read(out, op.from ?? ''))); break;
      case 'test':
        if (JSON.stringify(read(out, op.path)) !== JSON.stringify(op.value)) throw invalid(`testing value ${op.path} failed: test operation failed`);
        break;
      default: throw new KubeStatusError(400, 'BadRequest', `Unexpected kind: ${op.op}`);
    }
  }
  return out;
}

/** RFC 7386: objects merge, null deletes, everything else (arrays included) replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
