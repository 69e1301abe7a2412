/** Picks up a restored store where the killed process left it, as a cluster does after its nodes reboot. */
import type { KubeObject, ObjectStore } from '../store.js';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;

/**
 * Namespaces that were Terminating are deleted again (their clean-up timer died with the process). With
 * `pods`, every pod the previous process had started lost its containers: one that restarts them (restartPolicy
 * Always or OnFailure) goes back to just scheduled, so the kubelet starts it again; one that does not (Never) is
 * Failed with ContainerStatusUnknown, as the kubelet reports it, so its Job replaces it.
 */
export function resumeAfterRestart(store: ObjectStore, { pods, now = () => new Date() }: { pods: boolean; now?: () => Date }): void {
  for (const ns of store.listShared('namespaces').items) {
    if (!ns.metadata.deletionTimestamp || ns.metadata.finalizers?.length) continue;
    store.mutate('namespaces', undefined, ns.metadata.name, (o) => { delete o.metadata.deletionTimestamp; });
    store.delete('namespaces', undefined, ns.metadata.name);
  }
  if (!pods) return;
  const at = iso(now());
  for (const pod of store.listShared('pods').items) {
    const status = (pod.status ?? {}) as { startTime?: string; qosClass?: string; containerStatuses?: { name: string; image: string; imageID?: string; restartCount?: number }[] };
    const phase = phaseOf(pod);
    if (!status.startTime || phase === 'Succeeded' || phase === 'Failed' || pod.metadata.deletionTimestamp) continue;
    const never = (pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy === 'Never';
    store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => {
      o.status = never
        ? {
          ...status,
          phase: 'Failed',
          conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: at, reason: 'PodFailed' }],
          containerStatuses: (status.containerStatuses ?? []).map((c) => ({
            name: c.name, image: c.image, imageID: c.imageID ?? '', restartCount: c.restartCount ?? 0, ready: false, started: false,
            state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: status.startTime, finishedAt: at } },
          })),
        }
        : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at }], ...(status.qosClass ? { qosClass: status.qosClass } : {}) };
    });
  }
}
