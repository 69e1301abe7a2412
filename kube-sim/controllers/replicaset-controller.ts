/** The ReplicaSet controller: keeps `spec.replicas` live pods from the template and reports ready/available counts. */
import type { KubeObject, NewObject, ObjectStore } from '../store.js';
import { routeOwnedEvents, type OwnerIndex } from './owner-index.js';
import { deletePodGracefully, isActive, isReady } from './pod-deletion.js';
import { stableStringify } from './pod-template-hash.js';
import type { EventRecorder } from './event-recorder.js';
import type { WorkLoop } from './work-loop.js';

interface Template { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> }

/** The pod a controller creates from its template, with the defaults the API server would add. */
export function podFromTemplate(template: Template, owner: KubeObject, generateName: string, extraLabels: Record<string, string> = {}): NewObject {
  const spec = structuredClone(template.spec ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: owner.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...extraLabels },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler',
      serviceAccountName: 'default', serviceAccount: 'default', securityContext: {}, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0,
      ...spec,
    },
  };
}

// which pods go first when scaling down: unscheduled, then pending, then not ready, then the newest
function victimRank(pod: KubeObject): number[] {
  const bound = (pod.spec as { nodeName?: string }).nodeName ? 1 : 0;
  const running = (pod.status as { phase?: string } | undefined)?.phase === 'Running' ? 1 : 0;
  return [bound, running, isReady(pod) ? 1 : 0, -Date.parse(pod.metadata.creationTimestamp)];
}

export function createReplicaSetController({ store, loop, index, events, now }: { store: ObjectStore; loop: WorkLoop; index: OwnerIndex; events: EventRecorder; now: () => number }) {
  function reconcile(key: string): void {
    const slash = key.indexOf('/');
    const rs = store.peek('replicasets', key.slice(0, slash), key.slice(slash + 1));
    if (!rs || rs.metadata.deletionTimestamp) return;
    const spec = (rs.spec ?? {}) as { replicas?: number; template?: Template };
    const want = spec.replicas ?? 1;
    const active = index.owned('pods', rs.metadata.uid).filter(isActive);
    const source = { component: 'replicaset-controller' };
    if (active.length < want) {
      for (let i = active.length; i < want; i++) {
        const pod = store.create('pods', podFromTemplate(spec.template ?? {}, rs, `${rs.metadata.name}-`));
        events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, source);
      }
    } else if (active.length > want) {
      const victims = [...active].sort((a, b) => {
        const ra = victimRank(a);
        const rb = victimRank(b);
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
        return 0;
      }).slice(0, active.length - want);
      for (const pod of victims) {
        deletePodGracefully(store, pod, now());
        events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, source);
      }
    }
    const live = index.owned('pods', rs.metadata.uid).filter(isActive);
    const ready = live.filter(isReady).length;
    const current = store.peek('replicasets', rs.metadata.namespace, rs.metadata.name);
    if (!current) return;
    const status = {
      replicas: live.length,
      fullyLabeledReplicas: live.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: current.metadata.generation ?? 1,
    };
    const previous = (current.status ?? {}) as Record<string, unknown>;
    const next = { ...previous, ...status };
    if (stableStringify(next) !== stableStringify(previous)) store.mutate('replicasets', rs.metadata.namespace, rs.metadata.name, (o) => { o.status = next; });
  }

  const onEvent = routeOwnedEvents({ resource: 'replicasets', kind: 'ReplicaSet', child: 'pods', enqueue: (c, k) => loop.enqueue(c, k) });

  return { reconcile, onEvent };
}
