/** Keeps the served resources in step with the stored CustomResourceDefinitions: names, status conditions, cascading deletion. */
import type { KubeObject, ObjectStore } from '../store.js';
import { arr, obj, str, type JsonMap } from '../json-fields.js';
import { resourcesOf } from './custom-resources.js';

const CRDS = 'customresourcedefinitions';

interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime?: string }

/** Another CRD of the same group that already serves this kind, if any. */
function kindTaken(store: ObjectStore, crd: KubeObject): boolean {
  const spec = obj(crd.spec);
  const kind = str(obj(spec.names).kind);
  return store.listShared(CRDS).items.some((other) => other.metadata.name !== crd.metadata.name
    && str(obj(other.spec).group) === str(spec.group)
    && str(obj(obj(other.status).acceptedNames).kind) === kind
    && other.metadata.creationTimestamp <= crd.metadata.creationTimestamp);
}

function desiredStatus(crd: KubeObject, accepted: boolean): { conditions: Condition[]; acceptedNames: JsonMap; storedVersions: string[] } {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const kind = str(names.kind);
  const conditions: Condition[] = accepted
    ? [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ]
    : [
      { type: 'NamesAccepted', status: 'False', reason: 'KindConflict', message: `${JSON.stringify(kind)} is already in use` },
      { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
    ];
  const storage = arr(spec.versions).find((v) => v.storage === true);
  const previous = arr(obj(crd.status).storedVersions).length ? (obj(crd.status).storedVersions as string[]) : [];
  const storedVersions = storage && !previous.includes(str(storage.name)) ? [...previous, str(storage.name)] : previous;
  return { conditions, acceptedNames: accepted ? { ...names } : {}, storedVersions };
}

const withoutTimes = (conditions: unknown) => JSON.stringify(arr(conditions).map(({ lastTransitionTime: _t, ...c }) => c));

function sync(store: ObjectStore, crd: KubeObject, now: () => Date): void {
  const name = crd.metadata.name;
  const accepted = !kindTaken(store, crd);
  if (accepted) store.registry.define(name, resourcesOf(crd));
  else store.registry.forget(name);
  const want = desiredStatus(crd, accepted);
  const status = obj(crd.status);
  if (withoutTimes(status.conditions) === withoutTimes(want.conditions)
    && JSON.stringify(status.acceptedNames) === JSON.stringify(want.acceptedNames)
    && JSON.stringify(status.storedVersions) === JSON.stringify(want.storedVersions)) return;
  const at = now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const before = arr(status.conditions);
  // a condition keeps its transition time while its status stays the same
  const conditions = want.conditions.map((c) => {
    const old = before.find((b) => b.type === c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status && typeof old.lastTransitionTime === 'string' ? old.lastTransitionTime : at };
  });
  store.mutate(CRDS, undefined, name, (o) => { o.status = { ...want, conditions }; });
}

/**
 * Serves the resources of every stored CRD and follows later changes: a created or updated CRD gets its
 * NamesAccepted and Established conditions and its versions served; a deleted one takes its objects with it.
 */
export function serveCustomResourceDefinitions(store: ObjectStore, { now = () => new Date() }: { now?: () => Date } = {}): () => void {
  for (const crd of store.list(CRDS).items) sync(store, crd, now);
  return store.onChange((ev) => {
    if (ev.resource !== CRDS) return;
    const name = ev.object.metadata.name;
    if (ev.type !== 'DELETED') {
      sync(store, ev.object, now);
      return;
    }
    if (store.registry.byKey(name)) store.deleteAll(name);
    store.registry.forget(name);
  });
}
