/**
 * Pod health analysis in the spirit of k8sgpt's pod analyser: for each pod, the one reason a person acts
 * on (CrashLoopBackOff with restarts and last exit, image pull failures with the image, Pending with the
 * scheduler's message, OOMKilled, failing readiness, Evicted, failed init containers) — pure, linear.
 */
import { isoOf, timeOf, type ContainerSpec, type ContainerStatus, type KubeEvent, type Pod } from './kube-shapes.js';
import { podOwner, podReadyText, podRestarts, podStatusText } from './pod-status-text.js';
import { compareNames } from './name-order.js';

export interface LastExit {
  reason: string;
  exitCode: number;
  finishedAt?: string;
  message?: string;
}

export interface PodFinding {
  namespace: string;
  pod: string;
  /** The workload, `deployment/api-server`. */
  owner?: string;
  node?: string;
  phase: string;
  /** What `kubectl get pods` shows in STATUS. */
  status: string;
  ready: string;
  /** The reason a person acts on: CrashLoopBackOff, OOMKilled, ImagePullBackOff, Pending, NotReady, Evicted, Error, Init:… */
  reason: string;
  /** One sentence: what is wrong and the facts needed to fix it. */
  detail: string;
  container?: string;
  restarts: number;
  lastExit?: LastExit;
  image?: string;
  /** The cluster's own words (scheduler, kubelet, probe), when it gave any. */
  message?: string;
}

/** Waiting reasons the kubelet reports for a container that will not start by itself (k8sgpt's list). */
const WAITING_ERRORS = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName', 'ImageInspectError',
  'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreStartHookError', 'PreCreateHookError',
]);
const PULL_ERRORS = new Set(['ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName', 'ImageInspectError']);

/** Latest event per pod (namespace/name) among those that explain a problem: probe failures, scheduling, mounts. */
export type PodEventIndex = Map<string, KubeEvent>;
const EXPLAINING = new Set(['Unhealthy', 'FailedScheduling', 'FailedMount', 'FailedCreatePodSandBox']);

export function indexPodEvents(events: Iterable<KubeEvent>): PodEventIndex {
  const index: PodEventIndex = new Map();
  const when = (e: KubeEvent) => timeOf(e.lastTimestamp) || timeOf(e.eventTime) || timeOf(e.metadata?.creationTimestamp);
  for (const e of events) {
    const o = e.involvedObject;
    if (o?.kind !== 'Pod' || !o.name || !e.reason || !EXPLAINING.has(e.reason)) continue;
    const key = `${o.namespace ?? ''}/${o.name}`;
    const seen = index.get(key);
    if (!seen || when(e) >= when(seen)) index.set(key, e);
  }
  return index;
}

function lastExitOf(c: ContainerStatus): LastExit | undefined {
  const t = c.state?.terminated ?? c.lastState?.terminated;
  if (!t) return undefined;
  const finishedAt = isoOf(t.finishedAt);
  return {
    reason: t.reason || (t.signal ? `Signal:${t.signal}` : 'Error'),
    exitCode: t.exitCode,
    ...(finishedAt ? { finishedAt } : {}),
    ...(t.message ? { message: t.message.slice(0, 500) } : {}),
  };
}

const exitText = (e: LastExit) => `${e.reason} (exit code ${e.exitCode})${e.finishedAt ? ` at ${e.finishedAt}` : ''}`;
const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;

interface Problem {
  rank: number;
  reason: string;
  detail: string;
  container: string;
  lastExit?: LastExit;
  image?: string;
  message?: string;
}

/** One container's problem, ranked: a container that cannot run outranks one that runs but is not ready. */
/** A container that crashed within this window and runs again is still in its crash loop (back-off tops out at 5 min). */
export const RECENT_CRASH_MS = 15 * 60_000;

const ago = (ms: number) => (ms < 90_000 ? `${Math.max(0, Math.round(ms / 1000))}s` : `${Math.round(ms / 60_000)}m`);

function containerProblem(c: ContainerStatus, spec: ContainerSpec | undefined, init: boolean, event: KubeEvent | undefined, now: number | undefined): Problem | undefined {
  const label = `${init ? 'init container' : 'container'} ${c.name}`;
  const prefix = init ? 'Init:' : '';
  const image = spec?.image ?? c.image;
  const restarts = c.restartCount ?? 0;
  const exit = lastExitOf(c);
  const waiting = c.state?.waiting;
  const memLimit = spec?.resources?.limits?.memory;
  const oom = exit?.reason === 'OOMKilled';
  if (waiting?.reason && WAITING_ERRORS.has(waiting.reason)) {
    if (PULL_ERRORS.has(waiting.reason)) {
      return { rank: 3, reason: prefix + waiting.reason, container: c.name, ...(image ? { image } : {}), ...(waiting.message ? { message: waiting.message } : {}),
        detail: `cannot pull image ${image ?? '(unknown)'} for ${label}${waiting.message ? `: ${waiting.message}` : ''}; check the image name and tag exist in the registry` };
    }
    if (oom) {
      return { rank: 4, reason: prefix + 'OOMKilled', container: c.name, lastExit: exit, ...(image ? { image } : {}),
        detail: `${label} ran out of memory${memLimit ? ` (limit ${memLimit})` : ''} and was killed, restarted ${times(restarts)}, now ${waiting.reason}; raise its memory limit or find the leak` };
    }
    if (waiting.reason === 'CrashLoopBackOff') {
      return { rank: 4, reason: prefix + 'CrashLoopBackOff', container: c.name, ...(exit ? { lastExit: exit } : {}), ...(image ? { image } : {}), ...(exit?.message ? { message: exit.message } : {}),
        detail: `${label} keeps crashing: restarted ${times(restarts)}${exit ? `, last exit ${exitText(exit)}` : ''}; read its previous logs` };
    }
    return { rank: 3, reason: prefix + waiting.reason, container: c.name, ...(image ? { image } : {}), ...(waiting.message ? { message: waiting.message } : {}),
      detail: `${label} cannot start: ${waiting.reason}${waiting.message ? ` — ${waiting.message}` : ''}` };
  }
  const term = c.state?.terminated;
  if (term && term.exitCode !== 0 && exit) {
    const reason = prefix + (term.reason === 'OOMKilled' ? 'OOMKilled' : term.reason || 'Error');
    return { rank: 3, reason, container: c.name, lastExit: exit, ...(image ? { image } : {}), ...(exit.message ? { message: exit.message } : {}),
      detail: `${label} exited with ${exitText(exit)}${term.reason === 'OOMKilled' && memLimit ? `; memory limit ${memLimit}` : ''}` };
  }
  const last = c.lastState?.terminated;
  const finished = timeOf(last?.finishedAt);
  // Between two crashes a crash-looping container shows Running: a recent crash is still the reason to act on.
  if (!init && c.state?.running && last && exit && last.exitCode !== 0 && now !== undefined && finished && now - finished <= RECENT_CRASH_MS) {
    const since = ago(now - finished);
    if (last.reason === 'OOMKilled') {
      return { rank: 2, reason: 'OOMKilled', container: c.name, lastExit: exit, ...(image ? { image } : {}),
        detail: `${label} ran out of memory${memLimit ? ` (limit ${memLimit})` : ''} and was killed ${since} ago, restarted ${times(restarts)}, running again for now; raise its memory limit or find the leak` };
    }
    return { rank: 2, reason: restarts >= 2 ? 'CrashLoopBackOff' : 'Restarted', container: c.name, lastExit: exit, ...(image ? { image } : {}), ...(exit.message ? { message: exit.message } : {}),
      detail: `${label} crashed ${since} ago: restarted ${times(restarts)}, last exit ${exitText(exit)}, running again for now; read its previous logs` };
  }
  if (!init && c.state?.running && c.ready === false) {
    const probe = event?.reason === 'Unhealthy' ? event.message : undefined;
    return { rank: 1, reason: 'NotReady', container: c.name, ...(image ? { image } : {}), ...(probe ? { message: probe } : {}),
      detail: `${label} is running but not ready${probe ? `: ${probe}` : spec?.readinessProbe ? ': its readiness probe is failing' : ''}${restarts ? `; restarted ${times(restarts)}` : ''}` };
  }
  return undefined;
}

function pendingProblem(pod: Pod, event: KubeEvent | undefined): Problem | undefined {
  const sched = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (sched?.status === 'False') {
    const message = sched.message || (event?.reason === 'FailedScheduling' ? event.message : undefined);
    return { rank: 2, reason: 'Pending', container: '', ...(message ? { message } : {}),
      detail: `not scheduled (${sched.reason || 'Unschedulable'})${message ? `: ${message}` : ''}` };
  }
  if (event && (event.reason === 'FailedMount' || event.reason === 'FailedCreatePodSandBox')) {
    return { rank: 2, reason: event.reason, container: '', ...(event.message ? { message: event.message } : {}), detail: `stuck creating containers: ${event.message ?? event.reason}` };
  }
  return undefined;
}

/** The finding for one pod, or undefined when it is healthy (running and ready, completed, or starting normally). */
export interface AnalyseOptions {
  /** Latest explaining event per pod (indexPodEvents). */
  events?: PodEventIndex;
  /** Current time in ms; without it, a container that crashed and runs again is not flagged. */
  now?: number;
}

export function analysePod(pod: Pod, { events, now }: AnalyseOptions = {}): PodFinding | undefined {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const phase = pod.status?.phase ?? 'Unknown';
  const event = events?.get(`${ns}/${name}`);
  let problem: Problem | undefined;
  if (pod.status?.reason === 'Evicted') {
    problem = { rank: 5, reason: 'Evicted', container: '', ...(pod.status.message ? { message: pod.status.message } : {}), detail: `evicted${pod.spec?.nodeName ? ` from ${pod.spec.nodeName}` : ''}: ${pod.status.message ?? 'no reason given'}` };
  } else if (phase === 'Succeeded') {
    return undefined;
  } else {
    const specs = new Map<string, ContainerSpec>();
    for (const s of pod.spec?.initContainers ?? []) specs.set(`i/${s.name}`, s);
    for (const s of pod.spec?.containers ?? []) specs.set(`c/${s.name}`, s);
    for (const c of pod.status?.initContainerStatuses ?? []) {
      const p = containerProblem(c, specs.get(`i/${c.name}`), true, event, now);
      if (p && (!problem || p.rank > problem.rank)) problem = p;
    }
    for (const c of pod.status?.containerStatuses ?? []) {
      const p = containerProblem(c, specs.get(`c/${c.name}`), false, event, now);
      if (p && (!problem || p.rank > problem.rank)) problem = p;
    }
    if (!problem && phase === 'Pending') problem = pendingProblem(pod, event);
    if (!problem && (phase === 'Failed' || phase === 'Unknown')) {
      const why = pod.status?.reason || phase;
      problem = { rank: 3, reason: why, container: '', ...(pod.status?.message ? { message: pod.status.message } : {}),
        detail: phase === 'Unknown' ? 'the pod\'s node stopped reporting its state' : `pod failed${pod.status?.message ? `: ${pod.status.message}` : ''}` };
    }
  }
  if (!problem) return undefined;
  const owner = podOwner(pod);
  return {
    namespace: ns, pod: name, ...(owner ? { owner } : {}), ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    phase, status: podStatusText(pod), ready: podReadyText(pod), reason: problem.reason, detail: problem.detail.trim(),
    ...(problem.container ? { container: problem.container } : {}), restarts: podRestarts(pod),
    ...(problem.lastExit ? { lastExit: problem.lastExit } : {}), ...(problem.image ? { image: problem.image } : {}),
    ...(problem.message ? { message: problem.message.trim() } : {}),
  };
}

/** Pods counted as cluster status and failing-pods report them: how many, by phase, and the unhealthy ones. */
export interface PodTally {
  total: number;
  /** Pods by status.phase (Unknown when it has none). */
  byPhase: Record<string, number>;
  /** Every unhealthy pod, by namespace then name once the tally is finished (finishTally). */
  failing: PodFinding[];
}

export const emptyTally = (): PodTally => ({ total: 0, byPhase: {}, failing: [] });

/** Counts and analyses `pods` into `tally`: one page of a paged read, or a whole list. */
export function addToTally(tally: PodTally, pods: Iterable<Pod>, analyse: AnalyseOptions): void {
  for (const pod of pods) {
    tally.total += 1;
    const phase = pod.status?.phase ?? 'Unknown';
    tally.byPhase[phase] = (tally.byPhase[phase] ?? 0) + 1;
    const f = analysePod(pod, analyse);
    if (f) tally.failing.push(f);
  }
}

/** The tally with its findings in namespace/name order. */
export function finishTally(tally: PodTally): PodTally {
  sortFindings(tally.failing);
  return tally;
}

/** The tally of a whole pod list with its warning events. One pass over pods and events. */
export function tallyPods(pods: Iterable<Pod>, events: Iterable<KubeEvent> = [], now?: number): PodTally {
  const tally = emptyTally();
  addToTally(tally, pods, { events: indexPodEvents(events), ...(now !== undefined ? { now } : {}) });
  return finishTally(tally);
}

/** Every unhealthy pod, sorted by namespace then name. */
export function findFailingPods(pods: Iterable<Pod>, events: Iterable<KubeEvent> = [], now?: number): PodFinding[] {
  return tallyPods(pods, events, now).failing;
}

/** Sorts findings in place by namespace then pod name (the order findFailingPods answers in) and returns them. */
function sortFindings(findings: PodFinding[]): PodFinding[] {
  return findings.sort((a, b) => compareNames(a.namespace, b.namespace) || compareNames(a.pod, b.pod));
}

/** One line per finding: `apps/api-server-7d9f4-x2k1p  CrashLoopBackOff  container api keeps crashing: …`. */
export function findingLine(f: PodFinding): string {
  return `${f.namespace}/${f.pod}: ${f.reason} — ${f.detail}`;
}
