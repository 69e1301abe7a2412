/** Reads the compact facts planners resolve names against: namespaces, Deployments, and (when asked) pods. */
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { KubeAccess } from '../../cluster/kube-access.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { toPublicError } from '../../kernel/errors.js';
import type { ClusterFacts, DeploymentFact, PodFact } from './plan.js';

const MAX_PODS = 300;

export function deploymentFact(d: V1Deployment): DeploymentFact {
  const containers = d.spec?.template?.spec?.containers ?? [];
  const revision = Number(d.metadata?.annotations?.['deployment.kubernetes.io/revision']);
  const progressed = (d.status?.conditions ?? []).find((c) => c.type === 'Progressing')?.lastUpdateTime;
  return {
    name: d.metadata?.name ?? '',
    namespace: d.metadata?.namespace ?? '',
    labels: { ...(d.metadata?.labels ?? {}) },
    images: containers.map((c) => c.image ?? ''),
    containers: containers.map((c) => c.name),
    replicas: d.spec?.replicas ?? 1,
    ready: d.status?.readyReplicas ?? 0,
    ...(Number.isFinite(revision) && revision > 0 ? { revision } : {}),
    ...(d.metadata?.annotations?.['ganglion.dev/repo'] ? { repo: d.metadata.annotations['ganglion.dev/repo'] } : {}),
    ...(progressed ? { lastRolloutAt: new Date(progressed).toISOString() } : {}),
  };
}

export function podFact(p: V1Pod): PodFact {
  const statuses = p.status?.containerStatuses ?? [];
  const owner = p.metadata?.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;
  const hash = p.metadata?.labels?.['pod-template-hash'];
  const reason = statuses.map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason ?? s.lastState?.terminated?.reason).find(Boolean)
    ?? p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.reason;
  return {
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? '',
    ...(owner && hash && owner.endsWith(`-${hash}`) ? { deployment: owner.slice(0, -hash.length - 1) } : {}),
    phase: p.status?.phase ?? 'Unknown',
    ready: statuses.length > 0 && statuses.every((s) => s.ready),
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    ...(reason ? { reason } : {}),
  };
}

export async function gatherFacts(kube: KubeAccess, { cluster, withPods }: { cluster?: string; withPods: boolean }): Promise<ClusterFacts> {
  try {
    const c = await kube.clients(cluster);
    const opts = { server: c.server, timeoutMs: 8000 };
    const [contexts, ns, deps, pods] = await Promise.all([
      kube.contexts(),
      kubeCall('list namespaces', () => c.core.listNamespace(), opts),
      kubeCall('list deployments', () => c.apps.listDeploymentForAllNamespaces(), opts),
      withPods ? kubeCall('list pods', () => c.core.listPodForAllNamespaces(), opts) : Promise.resolve(undefined),
    ]);
    const podFacts = (pods?.items ?? []).map(podFact).sort((a, b) => Number(a.ready) - Number(b.ready) || b.restarts - a.restarts).slice(0, MAX_PODS);
    return {
      cluster: c.context, contexts,
      namespaces: ns.items.map((n) => n.metadata?.name ?? '').filter(Boolean),
      deployments: deps.items.map(deploymentFact),
      pods: podFacts,
    };
  } catch (err) {
    // Planning goes on without names (cluster status still works); name resolution says why it cannot.
    return { cluster: cluster ?? '', contexts: [], namespaces: [], deployments: [], pods: [], unavailable: toPublicError(err).message };
  }
}
