/**
 * Waits for a Deployment's rollout by polling (kubectl rollout status rules), bounded by a deadline on the
 * injected clock and by the caller's abort signal; stops early when the new pods fail in a way waiting cannot fix.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Deployment } from '@kubernetes/client-node';
import type { KubeClients } from './kube-access.js';
import { podsOfDeployment, readDeployment, replicaSetsOf, type DeploymentRef } from './deployment-lookup.js';
import { rolloutStatus } from './rollout-status.js';
import { isPodReady, podTrouble, podsOf, type PodTrouble } from './rollout-trouble.js';
import { revisionOf } from './workload-shape.js';

export interface RolloutOutcome {
  /** done: rolled out and every wanted pod Ready; failed: the cluster says it cannot finish; timeout: the deadline passed. */
  state: 'done' | 'failed' | 'timeout';
  deployment: V1Deployment;
  /** kubectl's last status sentence. */
  status: string;
  /** Pods of the new ReplicaSet that are in trouble (empty when done). */
  troubles: PodTrouble[];
  readyPods: number;
  desired: number;
  /** Polls it took. */
  polls: number;
}

export interface WaitOptions {
  timeoutMs: number;
  signal: AbortSignal;
  now: () => Date;
  /** Pause between looks (default 250 ms). */
  pollMs?: number;
}

/** Ready pods of the Deployment's current ReplicaSet, and the troubles of the ones that are not. */
async function inspectPods(clients: KubeClients, d: V1Deployment): Promise<{ ready: number; troubles: PodTrouble[] }> {
  const [sets, pods] = await Promise.all([replicaSetsOf(clients, d), podsOfDeployment(clients, d)]);
  const revision = revisionOf(d);
  const current = sets.find((rs) => revisionOf(rs) === revision) ?? sets[0];
  const mine = current ? podsOf(current, pods) : pods.filter((p) => !p.metadata?.deletionTimestamp);
  const troubles = mine.map(podTrouble).filter((t): t is PodTrouble => t !== undefined);
  return { ready: mine.filter(isPodReady).length, troubles };
}

export async function waitForRollout(clients: KubeClients, ref: DeploymentRef, { timeoutMs, signal, now, pollMs = 250 }: WaitOptions): Promise<RolloutOutcome> {
  const deadline = now().getTime() + timeoutMs;
  let last: RolloutOutcome | undefined;
  try {
    for (let polls = 1; ; polls++) {
      const d = await readDeployment(clients, ref);
      const desired = d.spec?.replicas ?? 1;
      const status = rolloutStatus(d);
      const base = { deployment: d, status: status.message, desired, polls, troubles: [] as PodTrouble[], readyPods: 0 };
      last = { ...base, state: 'timeout' };
      // Status may be stale for a moment after a write; only an observed generation counts as progress.
      const observed = (d.metadata?.generation ?? 0) <= (d.status?.observedGeneration ?? 0);
      if (observed || status.state === 'failed') {
        const pods = await inspectPods(clients, d);
        last = { ...base, state: 'timeout', troubles: pods.troubles, readyPods: pods.ready };
        if (status.state === 'failed' || pods.troubles.some((t) => t.fatal)) return { ...last, state: 'failed' };
        if (status.state === 'done' && pods.ready >= desired) return { ...last, state: 'done', troubles: [] };
      }
      if (now().getTime() >= deadline) return last;
      signal.throwIfAborted();
      await sleep(pollMs, undefined, { signal });
    }
  } catch (err) {
    // The step was cancelled or ran past its deadline: report what was seen instead of hanging on.
    if (!signal.aborted || !last) throw err;
    return { ...last, state: 'timeout', status: `stopped waiting, the step was cancelled or ran out of time (${last.status})` };
  }
}
