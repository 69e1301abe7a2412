/**
 * Finding the Deployments a mutating step means: by name (in one namespace, or across all of them, asking back
 * when two namespaces hold it), by label selector, and their ReplicaSets and pods.
 */
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { GanglionError } from '../kernel/errors.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import { ownedReplicaSets } from './rollout-undo.js';
import { closestNames } from './closest-names.js';
import { compareNames } from './name-order.js';

export interface DeploymentRef {
  name: string;
  namespace: string;
}

const where = (d: V1Deployment) => `${d.metadata?.namespace}/${d.metadata?.name}`;

export async function listDeployments(clients: KubeClients, namespace: string | undefined, labelSelector?: string): Promise<V1Deployment[]> {
  const opts = { server: clients.server };
  const sel = labelSelector ? { labelSelector } : {};
  const list = namespace
    ? await kubeCall(`list deployments in namespace ${namespace}`, () => clients.apps.listNamespacedDeployment({ namespace, ...sel }), opts)
    : await kubeCall('list deployments in all namespaces', () => clients.apps.listDeploymentForAllNamespaces(sel), opts);
  return list.items;
}

/** The one Deployment called `name`; without a namespace it searches all and asks back when several match. */
export async function findDeployment(clients: KubeClients, name: string, namespace?: string): Promise<V1Deployment> {
  const all = await listDeployments(clients, namespace);
  const hits = all.filter((d) => d.metadata?.name === name);
  if (hits.length === 1) return hits[0] as V1Deployment;
  if (hits.length > 1) {
    const names = hits.map(where).sort();
    throw new GanglionError(409, 'ambiguous_deployment', `deployment "${name}" exists in ${hits.length} namespaces (${names.join(', ')}); say which namespace you mean`, { details: { candidates: names } });
  }
  const close = closestNames(name, all.map((d) => d.metadata?.name ?? ''));
  const scope = namespace ? `namespace ${namespace}` : 'any namespace';
  if (namespace) {
    // Named in the wrong namespace: say where it is.
    const elsewhere = (await listDeployments(clients, undefined)).filter((d) => d.metadata?.name === name).map((d) => d.metadata?.namespace ?? '');
    if (elsewhere.length) throw new GanglionError(404, 'deployment_not_found', `no deployment "${name}" in namespace ${namespace} of context ${clients.context}; it is in namespace ${elsewhere.sort().join(', ')}`, { details: { namespaces: elsewhere } });
  }
  const hint = close.length ? `; closest: ${close.join(', ')}` : `; kubectl get deployments ${namespace ? `-n ${namespace}` : '-A'} lists them`;
  throw new GanglionError(404, 'deployment_not_found', `no deployment "${name}" in ${scope} of context ${clients.context}${hint}`, { details: { closest: close } });
}

/** Every Deployment matching a label selector (e.g. tier=web); none is an error naming the selector. */
export async function findDeploymentsBySelector(clients: KubeClients, selector: string, namespace?: string): Promise<V1Deployment[]> {
  const hits = await listDeployments(clients, namespace, selector);
  if (hits.length === 0) {
    throw new GanglionError(404, 'deployment_not_found', `no deployment matches label selector ${selector} in ${namespace ? `namespace ${namespace}` : 'any namespace'} of context ${clients.context}`);
  }
  return hits.sort((a, b) => compareNames(where(a), where(b)));
}

function selectorOf(d: V1Deployment): string {
  return Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The ReplicaSets this Deployment controls, as kubectl finds them (its selector, then the controller uid). */
export async function replicaSetsOf(clients: KubeClients, d: V1Deployment): Promise<V1ReplicaSet[]> {
  const namespace = d.metadata?.namespace ?? 'default';
  const labelSelector = selectorOf(d);
  const list = await kubeCall(`list replicasets of deployment ${namespace}/${d.metadata?.name}`, () => clients.apps.listNamespacedReplicaSet({ namespace, ...(labelSelector ? { labelSelector } : {}) }), { server: clients.server });
  return ownedReplicaSets(d, list.items);
}

export async function podsOfDeployment(clients: KubeClients, d: V1Deployment): Promise<V1Pod[]> {
  const namespace = d.metadata?.namespace ?? 'default';
  const labelSelector = selectorOf(d);
  const list = await kubeCall(`list pods of deployment ${namespace}/${d.metadata?.name}`, () => clients.core.listNamespacedPod({ namespace, ...(labelSelector ? { labelSelector } : {}) }), { server: clients.server });
  return list.items;
}

export async function readDeployment(clients: KubeClients, ref: DeploymentRef): Promise<V1Deployment> {
  return kubeCall(`read deployment ${ref.namespace}/${ref.name}`, () => clients.apps.readNamespacedDeployment(ref), { server: clients.server });
}

export function refOf(d: V1Deployment): DeploymentRef {
  return { name: d.metadata?.name ?? '', namespace: d.metadata?.namespace ?? 'default' };
}
