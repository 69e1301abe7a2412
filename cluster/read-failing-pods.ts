/**
 * The pod read of failing-pods, cluster-status and the weekly report: the warning events and the pods (in pages),
 * each page tallied while the next is on its way, so the time grows linearly with the cluster and no whole pod list
 * is held at once (one GET of 10,000 pods held ~300 MB in a function whose limit is 192 MiB).
 */
import type { KubeClients } from './kube-access.js';
import type { Pod } from './kube-shapes.js';
import { addToTally, emptyTally, finishTally, indexPodEvents, type PodTally } from './pod-health.js';
import { LIST_PAGE_SIZE, listPodWarnings, listPodsInPages } from './read-cluster.js';

/**
 * Reads and analyses every pod (of one namespace, or of all); `now` dates recent crashes; `onPod` sees each pod
 * too, for what a caller gathers alongside (the weekly report's per-node requests). A namespace that does not
 * exist reads as no pods, as the API lists it: callers that must tell the two apart check it (requireNamespace).
 */
export async function readFailingPods(c: KubeClients, namespace: string | undefined, now: number, pageSize = LIST_PAGE_SIZE, onPod?: (pod: Pod) => void): Promise<PodTally> {
  const index = listPodWarnings(c, namespace).then(indexPodEvents);
  index.catch(() => undefined); // awaited by the first page (or below when there are no pages)
  const tally = emptyTally();
  const pods = listPodsInPages(c, namespace, async (page) => {
    const events = await index;
    if (onPod) for (const pod of page) onPod(pod);
    addToTally(tally, page, { events, now });
  }, pageSize);
  await Promise.all([pods, index]);
  return finishTally(tally);
}
