/**
 * Cluster-state checks for the scenario suite, in the spirit of k8s-ai-bench's verify.sh: read the objects with
 * @kubernetes/client-node and wait (bounded, like `kubectl wait --timeout`) for the state a command promised.
 */
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { KubeClients } from '../cluster/kube-access.js';

export async function readDeployment(kube: KubeClients, namespace: string, name: string): Promise<V1Deployment> {
  return kube.apps.readNamespacedDeployment({ namespace, name });
}

export const imageOf = (d: V1Deployment): string => d.spec?.template.spec?.containers[0]?.image ?? '';

/** The rollout is finished as `kubectl rollout status` decides it, and every replica is ready and available. */
export function rolloutDone(d: V1Deployment): boolean {
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.readyReplicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want
  );
}

export function podReady(p: V1Pod): boolean {
  return p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods selected by the Deployment's selector, not terminating. */
export async function podsOf(kube: KubeClients, d: V1Deployment): Promise<V1Pod[]> {
  const labels = d.spec?.selector.matchLabels ?? {};
  const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await kube.core.listNamespacedPod({ namespace: d.metadata?.namespace ?? 'default', labelSelector });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** Polls `check` until it holds or `timeoutMs` passes; returns the last value either way so the assertion shows it. */
export async function waitFor<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<{ ok: boolean; value: T }> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return { ok: check(value), value };
}

/** Describes a Deployment's state in one line for assertion messages. */
export function describe(d: V1Deployment): string {
  const s = d.status ?? {};
  return `${d.metadata?.namespace}/${d.metadata?.name} image=${imageOf(d)} spec.replicas=${d.spec?.replicas} updated=${s.updatedReplicas} ready=${s.readyReplicas} available=${s.availableReplicas}`;
}
