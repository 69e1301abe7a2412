/** kube-sim's object store: plain JSON objects by resource, resourceVersions, owner-reference GC and watch events. */
import { randomUUID } from 'node:crypto';
import { KubeStatusError } from './kube-status-error.js';
import { apiVersionOf, qualifiedName, type ResourceInfo } from './resource-table.js';
import { ResourceRegistry } from './resource-registry.js';
import { pruneUnknownFields } from './crd/prune.js';
import { compileFieldSelector, compileLabelSelector, type ObjectPredicate } from './selectors.js';
import { EventHistory, watcherView, type StoredEvent } from './event-history.js';
import { applyDefaults } from './object-defaults.js';
import { cloneObject } from './object-copy.js';
import { DependentsIndex } from './dependents-index.js';
import type { KubeObject, ListOptions, NewObject, ObjectMeta, PropagationPolicy, StoreEvent } from './kube-object.js';

export { KubeStatusError, cloneObject };

export type { KubeObject, ListOptions, NewObject, ObjectMeta, OwnerReference, PropagationPolicy, StoreEvent } from './kube-object.js';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
/** Five random characters from Kubernetes' name alphabet (no vowels, no confusable digits). */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return out;
}

const keyOf = (namespace: string | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);

/** Index of the first key ≥ `key` in sorted keys (binary search). */
function firstAtOrAfter(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What changes the generation: everything but metadata and status. */
function specOf(obj: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

/** What dump() gives and restore() takes; a CustomResourceDefinition's objects are under the CRD's name. */
export interface StoreState { resourceVersion: number; resources: [resource: string, objects: KubeObject[]][] }

interface Watcher { resource: string; matches: (obj: KubeObject) => boolean; cb: (ev: StoreEvent) => void; shared: boolean }

export class ObjectStore {
  /** the resource types this store holds: built-in ones and those CustomResourceDefinitions define */
  readonly registry = new ResourceRegistry();
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private readonly dependents = new DependentsIndex();
  private readonly watchers = new Set<Watcher>();
  private readonly history = new EventHistory(20_000);
  private readonly queue: StoredEvent[] = [];
  private draining = false;
  private rv = 1;
  private readonly now: () => Date;
  private readonly namespaceCleanupMs: number;

  /** `namespaceCleanupMs`: how long a deleted namespace stays Terminating before it and its contents go. */
  constructor(opts: { now?: () => Date; namespaceCleanupMs?: number } = {}) {
    this.now = opts.now ?? (() => new Date());
    this.namespaceCleanupMs = opts.namespaceCleanupMs ?? 300;
  }

  resourceVersion(): string {
    return String(this.rv);
  }

  create(resource: string, obj: NewObject): KubeObject {
    const info = this.info(resource);
    const meta = obj.metadata;
    const name = 'name' in meta && meta.name ? meta.name : this.generateName(info, meta.namespace, meta.generateName ?? '');
    const namespace = info.namespaced ? meta.namespace || 'default' : undefined;
    const table = this.table(resource);
    const key = keyOf(namespace, name);
    if (table.has(key)) throw new KubeStatusError(409, 'AlreadyExists', `${qualifiedName(info)} "${name}" already exists`, this.details(info, name));
    const stored: KubeObject = cloneObject({ ...obj, apiVersion: obj.apiVersion || apiVersionOf(info), kind: obj.kind || info.kind }) as KubeObject;
    const { resourceVersion: _rv, uid: _uid, ...givenMeta } = stored.metadata;
    stored.metadata = {
      ...givenMeta,
      name,
      ...(namespace ? { namespace } : {}),
      uid: randomUUID(),
      resourceVersion: this.nextVersion(),
      generation: 1,
      creationTimestamp: meta.creationTimestamp ?? this.timestamp(),
    };
    if (!namespace) delete stored.metadata.namespace;
    if (info.schema) pruneUnknownFields(info.schema, stored);
    applyDefaults(resource, stored);
    table.set(key, stored);
    this.sortedKeys.delete(resource);
    this.dependents.update(`${resource}|${key}`, stored, undefined);
    this.emit({ type: 'ADDED', resource, object: stored });
    return cloneObject(stored);
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.peek(resource, namespace, name);
    return found ? cloneObject(found) : undefined;
  }

  mustGet(resource: string, namespace: string | undefined, name: string): KubeObject {
    return cloneObject(this.peekOrThrow(resource, namespace, name));
  }

  /** The stored object itself, not a copy: callers must not modify it (the server serialises it as is). */
  peek(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const info = this.info(resource);
    return this.table(resource).get(keyOf(info.namespaced ? namespace || 'default' : undefined, name));
  }

  list(resource: string, opts: ListOptions = {}): { items: KubeObject[]; resourceVersion: string } {
    const { items, resourceVersion } = this.listShared(resource, opts);
    return { items: items.map(cloneObject), resourceVersion };
  }

  /** Like list, but the items are the stored objects themselves (read-only), in key order, for fast serialisation. */
  listShared(resource: string, opts: ListOptions = {}): { items: readonly KubeObject[]; resourceVersion: string } {
    const info = this.info(resource);
    const table = this.table(resource);
    const matches = this.matcher(opts);
    const items: KubeObject[] = [];
    for (const key of this.keysInOrder(resource)) {
      const obj = table.get(key);
      if (!obj) continue;
      if (info.namespaced && opts.namespace && obj.metadata.namespace !== opts.namespace) continue;
      if (matches(obj)) items.push(obj);
    }
    return { items, resourceVersion: this.resourceVersion() };
  }

  /**
   * One page of listShared: up to `limit` matches after the key `after` (from the previous page's `last`). It
   * starts by binary search and walks only as far as the page needs, so a list read in pages stays linear.
   * `remaining` (items after this page) is given when there is no selector, as the Kubernetes API does.
   */
  listPage(resource: string, opts: ListOptions, page: { limit?: number; after?: string }): { items: readonly KubeObject[]; resourceVersion: string; last?: string; remaining?: number } {
    const info = this.info(resource);
    const table = this.table(resource);
    const matches = this.matcher(opts);
    const keys = this.keysInOrder(resource);
    const ns = info.namespaced && opts.namespace ? opts.namespace : undefined;
    // a namespace's keys `ns/name` are one contiguous run: from `ns/` up to `ns0` ('0' follows '/')
    const end = ns ? firstAtOrAfter(keys, `${ns}0`) : keys.length;
    let i = ns ? firstAtOrAfter(keys, `${ns}/`) : 0;
    if (page.after !== undefined) i = Math.max(i, firstAtOrAfter(keys, page.after + '\0'));
    const items: KubeObject[] = [];
    let last: string | undefined;
    let more = false;
    for (; i < end; i++) {
      const obj = table.get(keys[i]);
      if (!obj || !matches(obj)) continue;
      if (page.limit && items.length === page.limit) {
        more = true;
        break;
      }
      items.push(obj);
      last = keys[i];
    }
    const selected = Boolean(opts.labelSelector || opts.fieldSelector);
    return { items, resourceVersion: this.resourceVersion(), ...(more ? { last, ...(selected ? {} : { remaining: end - i }) } : {}) };
  }

  update(resource: string, obj: KubeObject, opts: { subresource?: 'status' } = {}): KubeObject {
    const info = this.info(resource);
    const current = this.peekOrThrow(resource, obj.metadata?.namespace, obj.metadata?.name);
    const given = obj.metadata.resourceVersion;
    if (given && given !== current.metadata.resourceVersion) {
      throw new KubeStatusError(409, 'Conflict',
        `Operation cannot be fulfilled on ${qualifiedName(info)} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        this.details(info, current.metadata.name));
    }
    let next: KubeObject;
    if (opts.subresource === 'status') {
      next = { ...current, status: cloneObject(obj.status) };
      if (obj.status === undefined) delete next.status;
    } else {
      next = cloneObject(obj);
      next.apiVersion = current.apiVersion;
      next.kind = current.kind;
      // the main resource cannot change status where a status subresource exists, as in Kubernetes
      if (info.subresources.includes('status')) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
    }
    return this.replace(resource, current, next);
  }

  mutate(resource: string, namespace: string | undefined, name: string, fn: (obj: KubeObject) => void): KubeObject {
    const current = this.peekOrThrow(resource, namespace, name);
    const next = cloneObject(current);
    fn(next);
    return this.replace(resource, current, next);
  }

  delete(resource: string, namespace: string | undefined, name: string, opts: { propagationPolicy?: PropagationPolicy } = {}): KubeObject {
    const current = this.peekOrThrow(resource, namespace, name);
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp) return cloneObject(current);
      return this.mutate(resource, namespace, name, (o) => { o.metadata.deletionTimestamp = this.timestamp(); });
    }
    if (resource === 'namespaces') return this.terminateNamespace(current);
    return cloneObject(this.remove(resource, current, opts.propagationPolicy ?? 'Background'));
  }

  /** Removes every object of a resource at once (a deleted CustomResourceDefinition takes its objects with it). */
  deleteAll(resource: string): void {
    for (const o of [...this.table(resource).values()]) this.remove(resource, o, 'Background');
  }

  watch(resource: string, opts: ListOptions & { sinceResourceVersion?: string; shared?: boolean }, cb: (ev: StoreEvent) => void): () => void {
    const info = this.info(resource);
    const selected = this.matcher(opts);
    const matches = (obj: KubeObject) => (!info.namespaced || !opts.namespace || obj.metadata.namespace === opts.namespace) && selected(obj);
    const shared = opts.shared ?? false;
    const deliver = (ev: StoreEvent) => cb(shared ? ev : { ...ev, object: cloneObject(ev.object) });
    const since = opts.sinceResourceVersion;
    if (!since || since === '0') {
      for (const obj of this.listShared(resource, opts).items) deliver({ type: 'ADDED', resource, object: obj });
    } else {
      const replay = this.history.since(Number(since));
      if (replay === undefined) throw new KubeStatusError(410, 'Expired', `too old resource version: ${since} (${this.history.oldest()})`);
      for (const ev of replay) {
        if (ev.resource !== resource) continue;
        const out = watcherView(ev, matches);
        if (out) deliver(out);
      }
    }
    const watcher: Watcher = { resource, matches, cb: deliver, shared };
    this.watchers.add(watcher);
    return () => { this.watchers.delete(watcher); };
  }

  /** Every change, in resourceVersion order; `shared` hands over the stored object itself (read-only) instead of a copy. */
  onChange(cb: (ev: StoreEvent) => void, { shared = false }: { shared?: boolean } = {}): () => void {
    const watcher: Watcher = { resource: '*', matches: () => true, cb: shared ? cb : (ev) => cb({ ...ev, object: cloneObject(ev.object) }), shared };
    this.watchers.add(watcher);
    return () => { this.watchers.delete(watcher); };
  }

  /** Everything stored, for a snapshot: the stored objects themselves (read-only) by resource, and the resourceVersion counter. */
  dump(): StoreState {
    const resources: [string, KubeObject[]][] = [];
    for (const resource of this.resources()) resources.push([resource, this.keysInOrder(resource).map((k) => this.tables.get(resource)?.get(k)).filter((o): o is KubeObject => o !== undefined)]);
    return { resourceVersion: this.rv, resources };
  }

  /**
   * Loads a dump into this empty store as it was (uids and resourceVersions kept), without events. Watches
   * cannot resume from before it (410 Expired), so clients list again, as after an API server restart.
   */
  restore(state: StoreState): void {
    for (const [resource, objects] of state.resources) {
      const table = this.table(resource);
      for (const obj of objects) {
        const key = keyOf(obj.metadata.namespace, obj.metadata.name);
        table.set(key, obj);
        this.dependents.update(`${resource}|${key}`, obj, undefined);
      }
      this.sortedKeys.delete(resource);
    }
    this.rv = Math.max(this.rv, state.resourceVersion);
    this.history.forgetThrough(this.rv);
  }

  /** Every resource name that holds at least one object. */
  resources(): string[] {
    return [...this.tables].filter(([, t]) => t.size > 0).map(([r]) => r);
  }

  private info(resource: string): ResourceInfo {
    const info = this.registry.byKey(resource);
    if (!info) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
    return info;
  }

  private table(resource: string): Map<string, KubeObject> {
    let table = this.tables.get(resource);
    if (!table) {
      table = new Map();
      this.tables.set(resource, table);
    }
    return table;
  }

  private keysInOrder(resource: string): string[] {
    let keys = this.sortedKeys.get(resource);
    if (!keys) {
      keys = [...this.table(resource).keys()].sort();
      this.sortedKeys.set(resource, keys);
    }
    return keys;
  }

  private details(info: ResourceInfo, name: string) {
    return { name, group: info.group, kind: info.resource };
  }

  private peekOrThrow(resource: string, namespace: string | undefined, name: string): KubeObject {
    const found = this.peek(resource, namespace, name);
    if (found) return found;
    const info = this.info(resource);
    throw new KubeStatusError(404, 'NotFound', `${qualifiedName(info)} "${name}" not found`, this.details(info, name));
  }

  private matcher(opts: ListOptions): (obj: KubeObject) => boolean {
    const preds: ObjectPredicate[] = [];
    const labels = compileLabelSelector(opts.labelSelector);
    const fields = compileFieldSelector(opts.fieldSelector);
    if (labels) preds.push(labels);
    if (fields) preds.push(fields);
    return (obj) => preds.every((p) => p(obj));
  }

  private generateName(info: ResourceInfo, namespace: string | undefined, prefix: string): string {
    if (!prefix) throw new KubeStatusError(422, 'Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    const table = this.table(info.key);
    for (;;) {
      const name = prefix + randomSuffix();
      if (!table.has(keyOf(info.namespaced ? namespace || 'default' : undefined, name))) return name;
    }
  }

  private replace(resource: string, current: KubeObject, next: KubeObject): KubeObject {
    const schema = this.registry.byKey(resource)?.schema;
    if (schema) pruneUnknownFields(schema, next);
    applyDefaults(resource, next);
    const key = keyOf(current.metadata.namespace, current.metadata.name);
    next.metadata = {
      ...next.metadata,
      name: current.metadata.name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: this.nextVersion(),
      generation: (current.metadata.generation ?? 1) + (specOf(next) !== specOf(current) ? 1 : 0),
    };
    if (current.metadata.namespace) next.metadata.namespace = current.metadata.namespace;
    else delete next.metadata.namespace;
    if (current.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      return this.remove(resource, next, 'Background');
    }
    this.table(resource).set(key, next);
    this.dependents.update(`${resource}|${key}`, next, current);
    this.emit({ type: 'MODIFIED', resource, object: next }, current);
    return cloneObject(next);
  }

  private remove(resource: string, current: KubeObject, policy: PropagationPolicy): KubeObject {
    const key = keyOf(current.metadata.namespace, current.metadata.name);
    this.table(resource).delete(key);
    this.sortedKeys.delete(resource);
    this.dependents.update(`${resource}|${key}`, undefined, current);
    const gone: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion: this.nextVersion() } };
    this.emit({ type: 'DELETED', resource, object: gone });
    const uid = current.metadata.uid;
    for (const ref of this.dependents.of(uid)) {
      const [depResource, depKey] = ref.split('|');
      const dep = this.table(depResource).get(depKey);
      if (!dep) continue;
      if (policy === 'Orphan') {
        this.mutate(depResource, dep.metadata.namespace, dep.metadata.name, (o) => {
          o.metadata.ownerReferences = o.metadata.ownerReferences?.filter((r) => r.uid !== uid);
          if (o.metadata.ownerReferences?.length === 0) delete o.metadata.ownerReferences;
        });
      } else {
        this.delete(depResource, dep.metadata.namespace, dep.metadata.name, { propagationPolicy: 'Background' });
      }
    }
    this.dependents.forget(uid);
    if (resource === 'namespaces') this.removeNamespaceContents(current.metadata.name);
    return gone;
  }

  /** Like the namespace controller: the namespace shows Terminating, then its contents and itself are removed. */
  private terminateNamespace(current: KubeObject): KubeObject {
    const name = current.metadata.name;
    if (current.metadata.deletionTimestamp) return cloneObject(current);
    const marked = this.mutate('namespaces', undefined, name, (o) => {
      o.metadata.deletionTimestamp = this.timestamp();
      o.status = { ...(o.status ?? {}), phase: 'Terminating' };
    });
    const timer = setTimeout(() => {
      const still = this.peek('namespaces', undefined, name);
      if (still && still.metadata.uid === current.metadata.uid) this.remove('namespaces', still, 'Background');
    }, this.namespaceCleanupMs);
    timer.unref();
    return marked;
  }

  private removeNamespaceContents(namespace: string): void {
    for (const [resource, table] of this.tables) {
      if (!this.registry.byKey(resource)?.namespaced) continue;
      for (const obj of [...table.values()]) {
        if (obj.metadata.namespace === namespace && table.has(keyOf(namespace, obj.metadata.name))) {
          this.remove(resource, obj, 'Background');
        }
      }
    }
  }



  private nextVersion(): string {
    this.rv += 1;
    return String(this.rv);
  }

  private timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }



  /** Records the event and delivers it; events raised by listeners are queued so every listener sees one order. */
  private emit(ev: StoreEvent, previous?: KubeObject): void {
    const stored: StoredEvent = { ...ev, rv: Number(ev.object.metadata.resourceVersion), ...(previous ? { previous } : {}) };
    this.history.push(stored);
    this.queue.push(stored);
    if (this.draining) return;
    this.draining = true;
    let failure: unknown;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        for (const w of [...this.watchers]) {
          if (w.resource !== '*' && w.resource !== next.resource) continue;
          const out = w.resource === '*' ? next : watcherView(next, w.matches);
          if (!out) continue;
          try {
            w.cb({ type: out.type, resource: out.resource, object: out.object });
          } catch (err) {
            // one failing listener must not starve the others; the first failure reaches the writer
            failure ??= err;
          }
        }
      }
    } finally {
      this.draining = false;
    }
    if (failure !== undefined) throw failure;
  }
}
