/** Reads the lists a rule needs (pods, nodes, Deployments, pod warning events) in parallel, bounded in time like every cluster read. */
import type { KubeClients } from '../cluster/kube-access.js';
import { getJson } from '../cluster/get-json.js';
import { kubeCall } from '../cluster/kube-errors.js';
import { listNodes, listPodWarnings, listPods } from '../cluster/read-cluster.js';
import { neededLists, type ClusterSnapshot, type WatchedDeployment } from './evaluate-rule.js';
import type { MonitorRule } from './monitor-rule.js';

/** Deployments with their status conditions (read-cluster's listDeployments types them without). */
async function listWatchedDeployments(c: KubeClients, namespace?: string): Promise<WatchedDeployment[]> {
  const p = `/apis/apps/v1${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/deployments`;
  const body = await kubeCall(`list deployments ${namespace ? `in namespace ${namespace}` : 'in all namespaces'}`, (signal) => getJson<{ items?: WatchedDeployment[] }>(c, p, {}, signal), { server: c.server });
  return body.items ?? [];
}

export async function readSnapshot(c: KubeClients, rule: MonitorRule, now: number): Promise<ClusterSnapshot> {
  const need = neededLists(rule);
  const ns = rule.namespace;
  const [pods, nodes, deployments, events] = await Promise.all([
    need.pods ? listPods(c, ns) : [],
    need.nodes ? listNodes(c) : [],
    need.deployments ? listWatchedDeployments(c, ns) : [],
    need.events ? listPodWarnings(c, ns) : [],
  ]);
  return { pods, nodes, deployments, events, now };
}
