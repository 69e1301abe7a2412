/** Graceful pod deletion as the API server does it: a bound, live pod gets a deletionTimestamp and the kubelet finishes it. */
import type { KubeObject, ObjectStore } from '../store.js';

export function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isActive(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && !isTerminal(pod);
}

export function isReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function deletePodGracefully(store: ObjectStore, pod: KubeObject, now: number, graceSeconds = 30): void {
  if (pod.metadata.deletionTimestamp) return;
  const bound = Boolean((pod.spec as { nodeName?: string } | undefined)?.nodeName);
  if (!bound || isTerminal(pod)) {
    store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    return;
  }
  store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => {
    o.metadata.deletionTimestamp = new Date(now + graceSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    o.metadata.deletionGracePeriodSeconds = graceSeconds;
  });
}
