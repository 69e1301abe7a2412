/**
 * The Deployment controller: one ReplicaSet per pod template (named `<deploy>-<pod-template-hash>`), revision
 * annotations as `kubectl rollout history/undo` expect, rolling updates within maxSurge/maxUnavailable, status.
 */
import type { KubeObject, NewObject, ObjectStore } from '../store.js';
import { routeOwnedEvents, type OwnerIndex } from './owner-index.js';
import { podTemplateHash, stableStringify, templateIdentity } from './pod-template-hash.js';
import { newReplicaSetSize, oldReplicaSetSizes, surgeAndUnavailable, type RsCounts } from './rollout-plan.js';
import { deploymentStatus } from './deployment-status.js';
import type { EventRecorder } from './event-recorder.js';
import type { WorkLoop } from './work-loop.js';

const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
// annotations a Deployment keeps to itself (kubectl's rollback skips the same list)
const NOT_COPIED = new Set([REVISION, HISTORY, DESIRED, MAX, 'kubectl.kubernetes.io/last-applied-configuration', 'deprecated.deployment.rollback.to']);

interface DeploymentSpec {
  replicas?: number; paused?: boolean; revisionHistoryLimit?: number; minReadySeconds?: number;
  selector?: { matchLabels?: Record<string, string> }; strategy?: { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } };
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown };
}

export const revisionOf = (obj: KubeObject): number => Number(obj.metadata.annotations?.[REVISION] ?? 0) || 0;
const replicasOf = (rs: KubeObject) => ((rs.spec ?? {}) as { replicas?: number }).replicas ?? 0;
const availableOf = (rs: KubeObject) => ((rs.status ?? {}) as { availableReplicas?: number }).availableReplicas ?? 0;
const counts = (rs: KubeObject): RsCounts => ({ name: rs.metadata.name, replicas: replicasOf(rs), available: availableOf(rs), created: Date.parse(rs.metadata.creationTimestamp) + revisionOf(rs) });

export function createDeploymentController({ store, loop, index, events, now, progressSecondMs }: { store: ObjectStore; loop: WorkLoop; index: OwnerIndex; events: EventRecorder; now: () => number; progressSecondMs: number }) {
  const source = { component: 'deployment-controller' };

  function createReplicaSet(d: KubeObject, spec: DeploymentSpec, revision: number, replicas: number): KubeObject {
    for (let collision = 0; ; collision++) {
      const hash = podTemplateHash(spec.template, collision);
      const name = `${d.metadata.name}-${hash}`;
      const existing = store.peek('replicasets', d.metadata.namespace, name);
      if (existing && collision < 10) continue;
      const template = structuredClone(spec.template ?? {});
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } };
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) annotations[k] = v;
      const { maxSurge } = surgeAndUnavailable(spec.strategy, spec.replicas ?? 1);
      Object.assign(annotations, { [DESIRED]: String(spec.replicas ?? 1), [MAX]: String((spec.replicas ?? 1) + maxSurge), [REVISION]: String(revision) });
      const rs: NewObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name, namespace: d.metadata.namespace, labels: template.metadata.labels, annotations,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          replicas,
          ...(spec.minReadySeconds ? { minReadySeconds: spec.minReadySeconds } : {}),
          selector: { ...(spec.selector ?? {}), matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } },
          template,
        },
      };
      const created = store.create('replicasets', rs);
      if (replicas > 0) events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`, source);
      return created;
    }
  }

  function scale(d: KubeObject, rs: KubeObject, to: number, maxReplicas: number): void {
    const from = replicasOf(rs);
    if (from === to) return;
    store.mutate('replicasets', rs.metadata.namespace, rs.metadata.name, (o) => {
      (o.spec as { replicas: number }).replicas = to;
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [DESIRED]: String((d.spec as DeploymentSpec).replicas ?? 1), [MAX]: String(maxReplicas) };
    });
    events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, source);
  }

  function reconcile(key: string): void {
    const slash = key.indexOf('/');
    const d = store.peek('deployments', key.slice(0, slash), key.slice(slash + 1));
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = (d.spec ?? {}) as DeploymentSpec;
    const replicas = spec.replicas ?? 1;
    const owned = index.owned('replicasets', d.metadata.uid);
    const identity = templateIdentity(spec.template);
    let newRs = owned.find((rs) => templateIdentity((rs.spec as DeploymentSpec).template) === identity);
    const maxRevision = owned.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    const { maxSurge, maxUnavailable } = surgeAndUnavailable(spec.strategy, replicas);
    let created = false;
    if (!newRs && spec.paused) {
      // a paused Deployment rolls nothing out: the new ReplicaSet comes when it is resumed
      const observed = d.metadata.generation ?? 1;
      if ((d.status as { observedGeneration?: number } | undefined)?.observedGeneration !== observed) {
        store.mutate('deployments', d.metadata.namespace, d.metadata.name, (o) => { o.status = { ...((o.status ?? {}) as Record<string, unknown>), observedGeneration: observed }; });
      }
      return;
    }
    if (!newRs) {
      const anyActive = owned.some((rs) => replicasOf(rs) > 0);
      const recreate = spec.strategy?.type === 'Recreate';
      const first = { name: '', replicas: 0, available: 0, created: 0 };
      const size = spec.paused || (anyActive && recreate) ? 0 : newReplicaSetSize(replicas, maxSurge, first, owned.map(counts));
      newRs = createReplicaSet(d, spec, maxRevision + 1, size);
      created = true;
    } else if (revisionOf(newRs) < maxRevision) {
      // a reused ReplicaSet (rollback) becomes the newest revision; its old number goes to revision-history
      const old = String(revisionOf(newRs));
      newRs = store.mutate('replicasets', newRs.metadata.namespace, newRs.metadata.name, (o) => {
        const history = o.metadata.annotations?.[HISTORY];
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: String(maxRevision + 1), [HISTORY]: history ? `${history},${old}` : old };
      });
    }
    const revision = String(revisionOf(newRs));
    if (d.metadata.annotations?.[REVISION] !== revision) {
      store.mutate('deployments', d.metadata.namespace, d.metadata.name, (o) => { o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: revision }; });
    }
    const oldRses = index.owned('replicasets', d.metadata.uid).filter((rs) => rs.metadata.uid !== newRs.metadata.uid);
    if (!spec.paused && !created) {
      const current = store.peek('replicasets', newRs.metadata.namespace, newRs.metadata.name) ?? newRs;
      if (spec.strategy?.type === 'Recreate') {
        for (const rs of oldRses) scale(d, rs, 0, replicas);
        const oldPods = oldRses.some((rs) => index.owned('pods', rs.metadata.uid).length > 0);
        if (!oldPods) scale(d, current, replicas, replicas);
      } else {
        const target = newReplicaSetSize(replicas, maxSurge, counts(current), oldRses.map(counts));
        if (target !== replicasOf(current)) scale(d, current, target, replicas + maxSurge);
        else {
          const sizes = oldReplicaSetSizes(replicas, maxUnavailable, counts(current), oldRses.map(counts));
          for (const rs of oldRses) scale(d, rs, sizes.get(rs.metadata.name) ?? replicasOf(rs), replicas + maxSurge);
        }
      }
    }
    cleanup(d, spec, newRs);
    writeStatus(d, maxUnavailable, created);
  }

  function cleanup(d: KubeObject, spec: DeploymentSpec, newRs: KubeObject): void {
    const limit = spec.revisionHistoryLimit ?? 10;
    const idle = index.owned('replicasets', d.metadata.uid)
      .filter((rs) => rs.metadata.uid !== newRs.metadata.uid && replicasOf(rs) === 0 && (((rs.status ?? {}) as { replicas?: number }).replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
  }

  function writeStatus(d0: KubeObject, maxUnavailable: number, created: boolean): void {
    const d = store.peek('deployments', d0.metadata.namespace, d0.metadata.name);
    if (!d) return;
    const owned = index.owned('replicasets', d.metadata.uid);
    const identity = templateIdentity((d.spec as DeploymentSpec).template);
    const newRs = owned.find((rs) => templateIdentity((rs.spec as DeploymentSpec).template) === identity);
    if (!newRs) return;
    const { status, deadlineAt } = deploymentStatus({
      deployment: d, newRs, oldRses: owned.filter((rs) => rs !== newRs), maxUnavailable, created, now: now(), progressSecondMs,
    });
    if (deadlineAt !== undefined) loop.wakeAt(deadlineAt, 'deployments', `${d.metadata.namespace}/${d.metadata.name}`);
    if (stableStringify(status) === stableStringify(d.status)) return;
    store.mutate('deployments', d.metadata.namespace, d.metadata.name, (o) => { o.status = status; });
  }

  const onEvent = routeOwnedEvents({ resource: 'deployments', kind: 'Deployment', child: 'replicasets', enqueue: (c, k) => loop.enqueue(c, k) });

  return { reconcile, onEvent };
}
