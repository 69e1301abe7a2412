/**
 * The pod read of failing-pods, cluster-status and the weekly report: the warning events and the pods (in pages), each page analysed
 * and counted while the next is on its way, so the time grows linearly with the cluster and no whole pod list is
 * held at once (one GET of 10,000 pods held ~300 MB in a function whose limit is 192 MiB).
 */
import type { KubeClients } from './kube-access.js';
import type { Pod } from './kube-shapes.js';
import { analysePod, indexPodEvents, sortFindings, type PodFinding } from './pod-health.js';
import { LIST_PAGE_SIZE, listPodWarnings, listPodsInPages } from './read-cluster.js';

export interface FailingPodsRead {
  /** Pods looked at. */
  total: number;
  /** Pods by status.phase (Unknown when it has none). */
  byPhase: Record<string, number>;
  /** Every unhealthy pod, by namespace then name: the same as findFailingPods over the whole list. */
  failing: PodFinding[];
}

/**
 * Reads and analyses every pod (of one namespace, or of all); `now` dates recent crashes; `onPod` sees each pod
 * too, for what a caller gathers alongside (the weekly report's per-node requests). A namespace that does not
 * exist reads as no pods, as the API lists it: callers that must tell the two apart check it (requireNamespace).
 */
export async function readFailingPods(c: KubeClients, namespace: string | undefined, now: number, pageSize = LIST_PAGE_SIZE, onPod?: (pod: Pod) => void): Promise<FailingPodsRead> {
  const index = listPodWarnings(c, namespace).then(indexPodEvents);
  index.catch(() => undefined); // awaited by the first page (or below when there are no pages)
  let total = 0;
  const byPhase: Record<string, number> = {};
  const failing: PodFinding[] = [];
  const pods = listPodsInPages(c, namespace, async (page) => {
    const events = await index;
    total += page.length;
    for (const pod of page) {
      const phase = pod.status?.phase ?? 'Unknown';
      byPhase[phase] = (byPhase[phase] ?? 0) + 1;
      onPod?.(pod);
      const f = analysePod(pod, { events, now });
      if (f) failing.push(f);
    }
  }, pageSize);
  await Promise.all([pods, index]);
  return { total, byPhase, failing: sortFindings(failing) };
}
