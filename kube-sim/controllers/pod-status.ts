/** Pod-level status from the containers' states: phase and the conditions `kubectl describe pod` lists. */
import type { ContainerRun, RestartPolicy } from './container-run.js';

export function podPhase(runs: ContainerRun[], policy: RestartPolicy): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  if (runs.length === 0) return 'Pending';
  const terminated = runs.map((r) => (r.stage.kind === 'terminated' ? r.stage.term : undefined));
  if (terminated.every(Boolean)) {
    return terminated.every((t) => t?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  // as the kubelet counts: a container waiting after a termination (a StartError too) is stopped, not pending
  if (runs.some((r) => !r.everStarted && !r.last)) return 'Pending';
  return 'Running';
}

interface Condition { type: string; status: 'True' | 'False'; reason?: string; message?: string; lastProbeTime: null; lastTransitionTime: string }

/** Keeps a condition's lastTransitionTime when its status did not change. */
function withTransition(previous: Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime' | 'lastProbeTime'>, now: string): Condition {
  const before = previous?.find((c) => c.type === next.type);
  const time = before && before.status === next.status ? before.lastTransitionTime : now;
  return { ...next, lastProbeTime: null, lastTransitionTime: time };
}

export function podConditions(runs: ContainerRun[], phase: string, previous: Condition[] | undefined, now: string): Condition[] {
  const unready = runs.filter((r) => !r.ready).map((r) => r.name);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const readyReason = done ? { reason: 'PodCompleted' } : unready.length ? { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` } : {};
  const allReady = unready.length === 0 && !done;
  return [
    withTransition(previous, { type: 'PodReadyToStartContainers', status: done ? 'False' : 'True' }, now),
    withTransition(previous, { type: 'Initialized', status: 'True', ...(done ? { reason: 'PodCompleted' } : {}) }, now),
    withTransition(previous, { type: 'Ready', status: allReady ? 'True' : 'False', ...readyReason }, now),
    withTransition(previous, { type: 'ContainersReady', status: allReady ? 'True' : 'False', ...readyReason }, now),
    withTransition(previous, { type: 'PodScheduled', status: 'True' }, now),
  ];
}

export type { Condition as PodCondition };
