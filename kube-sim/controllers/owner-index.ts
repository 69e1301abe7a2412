/** Which objects each owner (by uid) and each node holds, kept current from store events, so controllers never scan everything. */
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';

export interface OwnerIndex {
  apply(ev: StoreEvent): void;
  /** Stored objects (read-only) of `resource` whose controller owner has this uid. */
  owned(resource: string, ownerUid: string): KubeObject[];
  /** Stored pods (read-only) bound to a node. */
  podsOnNode(node: string): KubeObject[];
  /** Stored pods (read-only) of a namespace. */
  podsInNamespace(namespace: string): KubeObject[];
}

const INDEXED = new Set(['pods', 'replicasets', 'jobs']);

export function controllerOf(obj: KubeObject): { kind: string; name: string; uid: string } | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller) ?? undefined;
}

/**
 * The event routing every owning controller shares: a change to one of its own objects queues that object; a change
 * to an object it controls (a ReplicaSet's pod, a CronJob's Job) queues the owner.
 */
export function routeOwnedEvents({ resource, kind, child, enqueue }: { resource: string; kind: string; child: string; enqueue: (controller: string, key: string) => void }): (ev: StoreEvent) => void {
  return function onEvent(ev) {
    if (ev.resource === resource && ev.type !== 'DELETED') enqueue(resource, `${ev.object.metadata.namespace}/${ev.object.metadata.name}`);
    if (ev.resource !== child) return;
    const owner = controllerOf(ev.object);
    if (owner?.kind === kind) enqueue(resource, `${ev.object.metadata.namespace}/${owner.name}`);
  };
}

export function createOwnerIndex(store: ObjectStore): OwnerIndex {
  const byOwner = new Map<string, Set<string>>();
  const byNode = new Map<string, Set<string>>();
  const owners = new Map<string, string>();
  const nodes = new Map<string, string>();
  const byNamespace = new Map<string, Set<string>>();

  const add = (map: Map<string, Set<string>>, key: string, member: string) => {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(member);
  };

  function apply(ev: StoreEvent): void {
    if (!INDEXED.has(ev.resource)) return;
    const obj = ev.object;
    const member = `${ev.resource}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
    const oldOwner = owners.get(member);
    if (oldOwner) byOwner.get(oldOwner)?.delete(member);
    owners.delete(member);
    const oldNode = nodes.get(member);
    if (oldNode) byNode.get(oldNode)?.delete(member);
    nodes.delete(member);
    if (ev.resource === 'pods') byNamespace.get(obj.metadata.namespace ?? '')?.delete(member);
    if (ev.type === 'DELETED') return;
    if (ev.resource === 'pods') add(byNamespace, obj.metadata.namespace ?? '', member);
    const owner = controllerOf(obj)?.uid;
    if (owner) {
      add(byOwner, owner, member);
      owners.set(member, owner);
    }
    const spec = obj.spec as { nodeName?: string } | undefined;
    if (ev.resource === 'pods' && spec?.nodeName) {
      add(byNode, spec.nodeName, member);
      nodes.set(member, spec.nodeName);
    }
  }

  function resolve(members: Set<string> | undefined, resource: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const member of members ?? []) {
      const [res, ns, name] = member.split('|');
      if (res !== resource) continue;
      const obj = store.peek(res, ns || undefined, name);
      if (obj) out.push(obj);
    }
    return out;
  }

  return {
    apply,
    owned: (resource, uid) => resolve(byOwner.get(uid), resource),
    podsOnNode: (node) => resolve(byNode.get(node), 'pods'),
    podsInNamespace: (namespace) => resolve(byNamespace.get(namespace), 'pods'),
  };
}
