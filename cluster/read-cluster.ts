/**
 * The read calls the cluster tools make: one list call per resource, each bounded in time by kubeCall, and
 * a namespace check that answers an unknown namespace with the namespaces that do exist.
 */
import { GanglionError } from '../runtime/errors.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import type { Deployment, KubeEvent, Namespace, Node, Pod } from './kube-shapes.js';

const opts = (c: KubeClients) => ({ server: c.server });

export async function listPods(c: KubeClients, namespace?: string): Promise<Pod[]> {
  const list = namespace
    ? await kubeCall(`list pods in namespace ${namespace}`, () => c.core.listNamespacedPod({ namespace }), opts(c))
    : await kubeCall('list pods in all namespaces', () => c.core.listPodForAllNamespaces(), opts(c));
  return list.items;
}

export async function listNodes(c: KubeClients): Promise<Node[]> {
  return (await kubeCall('list nodes', () => c.core.listNode(), opts(c))).items;
}

export async function listNamespaces(c: KubeClients): Promise<Namespace[]> {
  return (await kubeCall('list namespaces', () => c.core.listNamespace(), opts(c))).items;
}

export async function listDeployments(c: KubeClients, namespace?: string): Promise<Deployment[]> {
  const list = namespace
    ? await kubeCall(`list deployments in namespace ${namespace}`, () => c.apps.listNamespacedDeployment({ namespace }), opts(c))
    : await kubeCall('list deployments in all namespaces', () => c.apps.listDeploymentForAllNamespaces(), opts(c));
  return list.items;
}

/** Warning events about pods: probe failures, scheduling and mount problems explain findings. */
export async function listPodWarnings(c: KubeClients, namespace?: string): Promise<KubeEvent[]> {
  const fieldSelector = 'involvedObject.kind=Pod,type=Warning';
  const list = namespace
    ? await kubeCall(`list events in namespace ${namespace}`, () => c.core.listNamespacedEvent({ namespace, fieldSelector }), opts(c))
    : await kubeCall('list events in all namespaces', () => c.core.listEventForAllNamespaces({ fieldSelector }), opts(c));
  return list.items;
}

/** Resolves when the namespace exists; otherwise a 404 that lists the namespaces there are. */
export async function requireNamespace(c: KubeClients, namespace: string): Promise<void> {
  try {
    await kubeCall(`read namespace ${namespace}`, () => c.core.readNamespace({ name: namespace }), opts(c));
  } catch (err) {
    if (!(err instanceof GanglionError) || err.status !== 404) throw err;
    const names = (await listNamespaces(c)).map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
    throw new GanglionError(404, 'namespace_not_found', `namespace "${namespace}" does not exist in cluster ${c.context}; existing namespaces: ${names.join(', ') || 'none'}`, { details: { namespace, namespaces: names } });
  }
}

/** Lists pods after checking the namespace, both at once: an empty list then means "no pods", not "no such namespace". */
export async function listPodsChecked(c: KubeClients, namespace?: string): Promise<Pod[]> {
  if (!namespace) return listPods(c);
  const [, pods] = await Promise.all([requireNamespace(c, namespace), listPods(c, namespace)]);
  return pods;
}
