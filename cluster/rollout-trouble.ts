/**
 * Why a rollout's new pods are not becoming ready, in the words a person acts on ("1 of 3 new pods cannot pull
 * image registry.local/placemyparents:2.1-broken (ImagePullBackOff)"), and which of those reasons end a rollout early.
 */
import { POD_TEMPLATE_HASH, type PodShape, type ReplicaSetShape } from './workload-shape.js';

export interface PodTrouble {
  pod: string;
  /** The kubelet's reason: ImagePullBackOff, CrashLoopBackOff, Unschedulable, NotReady... */
  reason: string;
  /** What it means, e.g. "cannot pull image registry.local/x:2.1" */
  what: string;
  /** Waiting longer will not help (the kubelet is backing off): stop the rollout now. */
  fatal: boolean;
}

const PULL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const FATAL_REASONS = new Set(['ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** The trouble of one pod, or undefined when it is ready (or simply still starting). */
export function podTrouble(pod: PodShape): PodTrouble | undefined {
  const name = pod.metadata?.name ?? '(unnamed)';
  const status = pod.status ?? {};
  for (const cs of status.containerStatuses ?? []) {
    const waiting = cs.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
      const reason = waiting.reason;
      const image = cs.image ?? pod.spec?.containers.find((c) => c.name === cs.name)?.image ?? '';
      if (PULL_REASONS.has(reason)) return { pod: name, reason, what: `cannot pull image ${image}`, fatal: FATAL_REASONS.has(reason) };
      if (reason === 'CrashLoopBackOff') {
        const exit = cs.lastState?.terminated;
        const last = exit ? `, last exit ${exit.reason ?? 'code'} ${exit.exitCode ?? '?'}` : '';
        return { pod: name, reason, what: `keep crashing (${cs.restartCount ?? 0} restarts${last})`, fatal: true };
      }
      return { pod: name, reason, what: `cannot start container ${cs.name}${waiting.message ? `: ${waiting.message}` : ''}`, fatal: FATAL_REASONS.has(reason) };
    }
    const terminated = cs.state?.terminated;
    if (terminated && terminated.reason === 'OOMKilled') return { pod: name, reason: 'OOMKilled', what: 'run out of memory', fatal: false };
  }
  const scheduled = (status.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    return { pod: name, reason: scheduled.reason ?? 'Unschedulable', what: `cannot be scheduled${scheduled.message ? ` (${scheduled.message})` : ''}`, fatal: false };
  }
  const ready = (status.conditions ?? []).find((c) => c.type === 'Ready');
  const running = status.phase === 'Running' && (status.containerStatuses ?? []).every((cs) => cs.state?.running);
  if (running && ready?.status !== 'True') return { pod: name, reason: 'NotReady', what: 'are running but not ready', fatal: false };
  return undefined;
}

/** The pods of one ReplicaSet (by its pod-template-hash label and ownerReference), leaving terminating ones out. */
export function podsOf(rs: ReplicaSetShape, pods: readonly PodShape[]): PodShape[] {
  const hash = rs.metadata?.labels?.[POD_TEMPLATE_HASH];
  const uid = rs.metadata?.uid;
  return pods.filter((p) => {
    if (p.metadata?.deletionTimestamp) return false;
    const owned = (p.metadata?.ownerReferences ?? []).some((o) => o.uid === uid);
    return owned || (hash !== undefined && p.metadata?.labels?.[POD_TEMPLATE_HASH] === hash);
  });
}

export function isPodReady(pod: PodShape): boolean {
  return !pod.metadata?.deletionTimestamp && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** "1 of 3 new pods cannot pull image X (ImagePullBackOff); 1 of 3 new pods keep crashing (...)" */
export function describeTroubles(troubles: readonly PodTrouble[], desired: number): string {
  const groups = new Map<string, { count: number; reason: string; what: string }>();
  for (const t of troubles) {
    const key = `${t.reason}\u0000${t.what}`;
    const g = groups.get(key) ?? { count: 0, reason: t.reason, what: t.what };
    g.count++;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => `${g.count} of ${desired} new pod${desired === 1 ? '' : 's'} ${fitVerb(g.what, g.count)} (${g.reason})`).join('; ');
}

// The phrases are written in plural ("cannot pull", "keep crashing"); one pod "keeps crashing", "is running".
function fitVerb(what: string, count: number): string {
  if (count !== 1) return what;
  return what.replace(/^keep /, 'keeps ').replace(/^are /, 'is ');
}
