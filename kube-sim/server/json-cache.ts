/** Serialised JSON of stored objects, cached per object: stored objects are never changed in place, only replaced. */
import type { KubeObject } from '../store.js';

const cache = new WeakMap<KubeObject, string>();

/** JSON.stringify of a stored (shared, read-only) object, computed once per version of it. */
export function storedJson(o: KubeObject): string {
  let text = cache.get(o);
  if (text === undefined) {
    text = JSON.stringify(o);
    cache.set(o, text);
  }
  return text;
}

/** A list body built from cached item JSON: `{"kind":..,"apiVersion":..,"metadata":..,"items":[...]}`. */
export function listJson(head: { kind: string; apiVersion: string; metadata: Record<string, unknown> }, items: readonly KubeObject[]): string {
  const prefix = JSON.stringify(head).slice(0, -1);
  return `${prefix},"items":[${items.map(storedJson).join(',')}]}`;
}
