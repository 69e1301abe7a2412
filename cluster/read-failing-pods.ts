/**
 * failing-pods' read: the warning events and the pods (in pages), each page analysed while the next is on its
 * way, so the time grows linearly with the cluster and no whole pod list is held at once.
 */
import type { KubeClients } from './kube-access.js';
import { analysePod, indexPodEvents, sortFindings, type PodFinding } from './pod-health.js';
import { LIST_PAGE_SIZE, listPodWarnings, listPodsInPages, requireNamespace } from './read-cluster.js';

export interface FailingPodsRead {
  /** Pods looked at. */
  total: number;
  /** Every unhealthy pod, by namespace then name: the same as findFailingPods over the whole list. */
  failing: PodFinding[];
}

/** Reads and analyses every pod (of one namespace, which must exist, or of all); `now` dates recent crashes. */
export async function readFailingPods(c: KubeClients, namespace: string | undefined, now: number, pageSize = LIST_PAGE_SIZE): Promise<FailingPodsRead> {
  const index = listPodWarnings(c, namespace).then(indexPodEvents);
  index.catch(() => undefined); // awaited by the first page (or below when there are no pages)
  let total = 0;
  const failing: PodFinding[] = [];
  const pods = listPodsInPages(c, namespace, async (page) => {
    const events = await index;
    total += page.length;
    for (const pod of page) {
      const f = analysePod(pod, { events, now });
      if (f) failing.push(f);
    }
  }, pageSize);
  await Promise.all([pods, index, ...(namespace ? [requireNamespace(c, namespace)] : [])]);
  return { total, failing: sortFindings(failing) };
}
