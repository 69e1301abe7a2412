/** The kubelet's memory of one container (and of its pod): where it is in its life and what `status.containerStatuses[i]` says. */
import type { ContainerSpec } from './container-env.js';
import type { WorkerHandle } from './worker-process.js';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export interface PodSpec {
  nodeName?: string; activeDeadlineSeconds?: number; restartPolicy?: RestartPolicy; hostNetwork?: boolean;
  containers?: (ContainerSpec & { readinessProbe?: { periodSeconds?: number }; resources?: { limits?: Record<string, string> } })[];
}
export interface PodRun {
  uid: string; containers: ContainerRun[]; processes: Map<string, WorkerHandle>; podIP: string; hostIP: string;
  startTime: string; startedAt: number; terminatingSince?: number; deadlineKilled?: boolean;
}

export interface Terminated { exitCode: number; reason: string; message?: string; signal?: number; startedAt: string; finishedAt: string; containerID: string }

export type Stage =
  | { kind: 'creating' }
  | { kind: 'config-error'; message: string }
  | { kind: 'pull-error'; message: string }
  | { kind: 'pull-backoff'; message: string }
  | { kind: 'starting' }
  | { kind: 'running'; startedAt: string }
  | { kind: 'crash-backoff'; message: string }
  | { kind: 'terminated'; term: Terminated };

export interface ContainerRun {
  name: string;
  image: string;
  stage: Stage;
  /** clock time of the next transition of `stage` */
  dueAt?: number;
  ready: boolean;
  readyAt?: number;
  probeAt?: number;
  /** scheduled end of a simulated process */
  exitAt?: number;
  exit?: { exitCode: number; reason: string; message?: string; liveness?: { failures: number; message: string } };
  /** what each failing readiness probe reports */
  probeFailure?: string;
  restarts: number;
  pullFailures: number;
  last?: Terminated;
  containerID?: string;
  imageID?: string;
  everStarted: boolean;
  /** a container run for real as a server: false until its first readiness result is in (settle() waits for it) */
  probed?: boolean;
}

const WAITING_REASON: Record<string, string> = {
  creating: 'ContainerCreating', starting: 'ContainerCreating', 'config-error': 'CreateContainerConfigError',
  'pull-error': 'ErrImagePull', 'pull-backoff': 'ImagePullBackOff', 'crash-backoff': 'CrashLoopBackOff',
};

function terminatedJson(t: Terminated): Record<string, unknown> {
  return {
    exitCode: t.exitCode,
    ...(t.signal ? { signal: t.signal } : {}),
    reason: t.reason,
    ...(t.message ? { message: t.message } : {}),
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    containerID: t.containerID,
  };
}

/** The container's entry in `status.containerStatuses`, as the real kubelet writes it. */
export function containerStatus(run: ContainerRun): Record<string, unknown> {
  let state: Record<string, unknown>;
  const s = run.stage;
  if (s.kind === 'running') state = { running: { startedAt: s.startedAt } };
  else if (s.kind === 'terminated') state = { terminated: terminatedJson(s.term) };
  else {
    const message = 'message' in s ? s.message : undefined;
    state = { waiting: { reason: WAITING_REASON[s.kind], ...(message ? { message } : {}) } };
  }
  return {
    name: run.name,
    state,
    lastState: run.last ? { terminated: terminatedJson(run.last) } : {},
    ready: run.ready,
    restartCount: run.restarts,
    image: run.image,
    imageID: run.imageID ?? '',
    ...(run.containerID ? { containerID: run.containerID } : {}),
    started: s.kind === 'running',
  };
}

/** Why `kubectl logs` cannot read a container that never ran (the API server's wording). */
export function waitingReason(run: ContainerRun): string | undefined {
  const s = run.stage;
  if (s.kind === 'pull-error' || s.kind === 'pull-backoff') return 'trying and failing to pull image';
  if (s.kind === 'running' || s.kind === 'terminated') return undefined;
  return WAITING_REASON[s.kind];
}
