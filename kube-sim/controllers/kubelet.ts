/**
 * The simulated kubelet: takes each pod bound to a node through pull → create → start → (ready | crash | OOM |
 * exit), with back-offs, restart counts, events and graceful deletion. `ganglion-worker` containers run for real.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';
import { behaviourOf, imageExists, normaliseImage, type Simulation } from '../scenario/scenario.js';
import { containerStatus, type ContainerRun, type Terminated } from './container-run.js';
import { podConditions, podPhase, type PodCondition, type RestartPolicy } from './pod-status.js';
import { containerEnv, type ContainerSpec } from './container-env.js';
import { isWorkerImage, startWorker, type WorkerHandle } from './worker-process.js';
import { parseQuantity, qosClass } from './quantity.js';
import { stableStringify } from './pod-template-hash.js';
import { backoffMs, type Timing } from './timing.js';
import type { WorkLoop } from './work-loop.js';
import type { EventRecorder } from './event-recorder.js';
import type { WorkerLogSink } from './pod-logs.js';

interface PodSpec { nodeName?: string; activeDeadlineSeconds?: number; restartPolicy?: RestartPolicy; hostNetwork?: boolean; containers?: (ContainerSpec & { readinessProbe?: { periodSeconds?: number }; resources?: { limits?: Record<string, string> } })[] }
interface PodRun { uid: string; containers: ContainerRun[]; processes: Map<string, WorkerHandle>; podIP: string; hostIP: string; startTime: string; startedAt: number; terminatingSince?: number; deadlineKilled?: boolean }

export interface KubeletDeps { store: ObjectStore; loop: WorkLoop; timing: Timing; now: () => number; simulation: Simulation; events: EventRecorder; logs: WorkerLogSink; repoRoot: string }

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

export function createKubelet(deps: KubeletDeps) {
  const { store, loop, timing, now, simulation, events } = deps;
  const runs = new Map<string, PodRun>();
  const handles = new Set<WorkerHandle>();
  const ipCounters = new Map<string, number>();

  const keyOf = (pod: KubeObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;
  const specOf = (pod: KubeObject) => (pod.spec ?? {}) as PodSpec;
  const containerSpec = (pod: KubeObject, name: string) => specOf(pod).containers?.find((c) => c.name === name);
  const emit = (pod: KubeObject, c: ContainerRun | undefined, type: 'Normal' | 'Warning', reason: string, message: string) =>
    events.record(pod, type, reason, message, { component: 'kubelet', host: specOf(pod).nodeName }, c ? `spec.containers{${c.name}}` : undefined);

  function allocate(pod: KubeObject): { podIP: string; hostIP: string } {
    const nodeName = specOf(pod).nodeName ?? '';
    const node = store.peek('nodes', undefined, nodeName);
    const addresses = ((node?.status as { addresses?: { type: string; address: string }[] } | undefined)?.addresses ?? []);
    const hostIP = addresses.find((a) => a.type === 'InternalIP')?.address ?? '192.168.1.100';
    if (specOf(pod).hostNetwork) return { podIP: hostIP, hostIP };
    const cidr = ((node?.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '10.42.0.0/24').split('/')[0].split('.');
    const n = (ipCounters.get(nodeName) ?? 10) + 1;
    ipCounters.set(nodeName, n);
    return { podIP: `${cidr[0]}.${cidr[1]}.${Number(cidr[2]) + Math.floor(n / 250)}.${n % 250 + 2}`, hostIP };
  }

  function newRun(pod: KubeObject, t: number): PodRun {
    const { podIP, hostIP } = allocate(pod);
    const containers: ContainerRun[] = (specOf(pod).containers ?? []).map((c) => ({
      name: c.name, image: c.image ?? '', stage: { kind: 'creating' }, dueAt: t + timing.pullMs, ready: false, restarts: 0, pullFailures: 0, everStarted: false,
    }));
    return { uid: pod.metadata.uid, containers, processes: new Map(), podIP, hostIP, startTime: iso(t), startedAt: t };
  }

  function pull(pod: KubeObject, run: PodRun, c: ContainerRun, t: number): void {
    const spec = containerSpec(pod, c.name);
    const env = spec ? containerEnv(store, pod, spec) : { ok: true as const, env: {} };
    if (!env.ok) {
      c.pullFailures++;
      c.stage = { kind: 'config-error', message: env.message };
      c.dueAt = t + backoffMs(timing.crashBackoffMs, timing.maxBackoffMs, c.pullFailures);
      emit(pod, c, 'Warning', 'Failed', `Error: ${env.message}`);
      return;
    }
    if (!imageExists(simulation, c.image)) {
      const ref = c.image;
      const message = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
      emit(pod, c, 'Normal', 'Pulling', `Pulling image "${ref}"`);
      emit(pod, c, 'Warning', 'Failed', `Failed to pull image "${ref}": ${message}`);
      emit(pod, c, 'Warning', 'Failed', 'Error: ErrImagePull');
      c.stage = { kind: 'pull-error', message };
      c.dueAt = t + Math.max(timing.pullMs, timing.tickMs);
      return;
    }
    if (c.everStarted || c.imageID) emit(pod, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    else {
      const size = parseInt(sha(c.image).slice(0, 6), 16) * 64 + 5_000_000;
      emit(pod, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      emit(pod, c, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${timing.pullMs}ms (${timing.pullMs}ms including waiting). Image size: ${size} bytes.`);
    }
    c.imageID = `${normaliseImage(c.image).repo}@sha256:${sha(c.image)}`;
    c.stage = { kind: 'starting' };
    c.dueAt = t + (c.everStarted ? 0 : timing.podStartMs);
    void run;
  }

  function start(pod: KubeObject, run: PodRun, c: ContainerRun, t: number): void {
    const spec = containerSpec(pod, c.name);
    c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    emit(pod, c, 'Normal', 'Created', `Created container ${c.name}`);
    emit(pod, c, 'Normal', 'Started', `Started container ${c.name}`);
    c.stage = { kind: 'running', startedAt: iso(t) };
    c.dueAt = undefined;
    c.everStarted = true;
    const policy = specOf(pod).restartPolicy ?? 'Always';
    const behaviour = behaviourOf(simulation, c.image);
    if (isWorkerImage(c.image) && spec) runWorker(pod, run, c, spec, t);
    else if (behaviour.exit) {
      c.exitAt = t + behaviour.exit.afterSeconds * timing.secondMs;
      c.exit = { exitCode: behaviour.exit.exitCode, reason: behaviour.exit.exitCode === 0 ? 'Completed' : 'Error' };
    } else if (behaviour.memory && parseQuantity(behaviour.memory.usage) > parseQuantity(spec?.resources?.limits?.memory ?? 'Infinity')) {
      c.exitAt = t + behaviour.memory.afterSeconds * timing.secondMs;
      c.exit = { exitCode: 137, reason: 'OOMKilled' };
    } else if (policy !== 'Always') {
      // a simulated batch container with nothing scripted does its work and succeeds
      c.exitAt = t + timing.secondMs;
      c.exit = { exitCode: 0, reason: 'Completed' };
    }
    // an app that is about to fail on start-up (api-server without its database) never passes its probe
    const failsEarly = behaviour.exit !== undefined && behaviour.exit.exitCode !== 0 && spec?.readinessProbe !== undefined;
    if (failsEarly) return;
    if (!spec?.readinessProbe) c.ready = true;
    else if (behaviour.readiness?.failing) c.probeAt = t + timing.readyMs;
    else c.readyAt = t + timing.readyMs;
  }

  function runWorker(pod: KubeObject, run: PodRun, c: ContainerRun, spec: ContainerSpec, t: number): void {
    const env = containerEnv(store, pod, spec);
    const attempt = c.restarts;
    const handle: WorkerHandle = startWorker({
      repoRoot: deps.repoRoot,
      args: spec.args ?? [],
      env: env.ok ? env.env : {},
      podName: pod.metadata.name,
      onOutput: (text) => deps.logs.append(run.uid, c.name, attempt, text, now()),
      onExit: (exitCode) => {
        handles.delete(handle);
        run.processes.delete(c.name);
        if (runs.get(run.uid) !== run || c.stage.kind !== 'running') return;
        c.exitAt = now();
        c.exit = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' };
        loop.enqueue('kubelet', keyOf(pod));
      },
    });
    handles.add(handle);
    run.processes.set(c.name, handle);
    void t;
  }

  function exitContainer(pod: KubeObject, run: PodRun, c: ContainerRun, t: number): void {
    const exit = c.exit ?? { exitCode: 0, reason: 'Completed' };
    const startedAt = c.stage.kind === 'running' ? c.stage.startedAt : iso(t);
    const term: Terminated = { exitCode: exit.exitCode, reason: exit.reason, startedAt, finishedAt: iso(t), containerID: c.containerID ?? '' };
    c.ready = false;
    c.readyAt = c.probeAt = c.exitAt = c.exit = undefined;
    const policy = specOf(pod).restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && exit.exitCode !== 0);
    if (!restart || pod.metadata.deletionTimestamp || run.deadlineKilled) {
      c.stage = { kind: 'terminated', term };
      c.dueAt = undefined;
      return;
    }
    c.last = term;
    c.restarts++;
    const shownSeconds = Math.min(300, 10 * 2 ** (c.restarts - 1));
    const shown = shownSeconds >= 60 ? `${Math.floor(shownSeconds / 60)}m${shownSeconds % 60}s` : `${shownSeconds}s`;
    const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    c.stage = { kind: 'crash-backoff', message: `back-off ${shown} restarting failed container=${c.name} pod=${podRef}` };
    c.dueAt = t + backoffMs(timing.crashBackoffMs, timing.maxBackoffMs, c.restarts);
    emit(pod, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podRef}`);
  }

  function advance(pod: KubeObject, run: PodRun, c: ContainerRun, t: number): void {
    for (let step = 0; step < 8; step++) {
      const s = c.stage;
      if (s.kind === 'running') {
        if (c.readyAt !== undefined && c.readyAt <= t) { c.ready = true; c.readyAt = undefined; continue; }
        if (c.probeAt !== undefined && c.probeAt <= t) {
          const behaviour = behaviourOf(simulation, c.image);
          emit(pod, c, 'Warning', 'Unhealthy', `Readiness probe failed: ${behaviour.readiness?.message ?? 'HTTP probe failed with statuscode: 503'}`);
          c.probeAt = t + (containerSpec(pod, c.name)?.readinessProbe?.periodSeconds ?? 10) * timing.secondMs;
          continue;
        }
        if (c.exitAt !== undefined && c.exitAt <= t) { exitContainer(pod, run, c, t); continue; }
        return;
      }
      if (c.dueAt === undefined || c.dueAt > t) return;
      if (s.kind === 'creating' || s.kind === 'pull-backoff' || s.kind === 'config-error') pull(pod, run, c, t);
      else if (s.kind === 'pull-error') {
        c.pullFailures++;
        c.stage = { kind: 'pull-backoff', message: `Back-off pulling image "${c.image}"` };
        c.dueAt = t + backoffMs(timing.crashBackoffMs, timing.maxBackoffMs, c.pullFailures);
        emit(pod, c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
        emit(pod, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      } else if (s.kind === 'crash-backoff') pull(pod, run, c, t);
      else if (s.kind === 'starting') start(pod, run, c, t);
      else return;
    }
  }

  /** spec.activeDeadlineSeconds: the kubelet kills the pod and marks it Failed/DeadlineExceeded (the Job controller uses this too). */
  function enforceDeadline(pod: KubeObject, run: PodRun, t: number): void {
    const ads = specOf(pod).activeDeadlineSeconds;
    if (ads === undefined || run.deadlineKilled || t < run.startedAt + ads * timing.jobSecondMs) return;
    run.deadlineKilled = true;
    events.record(pod, 'Warning', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline', { component: 'kubelet', host: specOf(pod).nodeName });
    for (const c of run.containers) {
      if (c.stage.kind === 'running') {
        emit(pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
        const handle = run.processes.get(c.name);
        if (handle) handle.kill(timing.killGraceMs);
        else {
          c.exitAt = t;
          c.exit = { exitCode: 137, reason: 'Error' };
        }
      } else if (c.stage.kind !== 'terminated') {
        c.stage = { kind: 'terminated', term: { exitCode: 137, reason: 'Error', startedAt: iso(t), finishedAt: iso(t), containerID: c.containerID ?? '' } };
        c.dueAt = undefined;
      }
    }
  }

  function terminate(pod: KubeObject, run: PodRun, t: number): boolean {
    if (run.terminatingSince === undefined) {
      run.terminatingSince = t;
      for (const c of run.containers) {
        c.ready = false;
        if (c.stage.kind !== 'running') continue;
        emit(pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
        run.processes.get(c.name)?.kill(timing.killGraceMs);
      }
    }
    const started = run.containers.some((c) => c.stage.kind === 'running');
    if (run.processes.size > 0 || (started && t < run.terminatingSince + timing.terminateMs)) return false;
    store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    return true;
  }

  function writeStatus(pod: KubeObject, run: PodRun, t: number): void {
    const policy = specOf(pod).restartPolicy ?? 'Always';
    const killed = run.deadlineKilled && run.processes.size === 0 && run.containers.every((c) => c.stage.kind === 'terminated');
    const phase = killed ? 'Failed' : podPhase(run.containers, policy);
    const previous = (pod.status ?? {}) as { conditions?: PodCondition[] };
    const status = {
      phase,
      ...(killed ? { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' } : {}),
      conditions: podConditions(run.containers, phase, previous.conditions, iso(t)),
      hostIP: run.hostIP,
      hostIPs: [{ ip: run.hostIP }],
      ...(run.containers.some((c) => c.stage.kind !== 'creating') ? { podIP: run.podIP, podIPs: [{ ip: run.podIP }] } : {}),
      startTime: run.startTime,
      containerStatuses: run.containers.map(containerStatus),
      qosClass: qosClass(specOf(pod)),
    };
    if (stableStringify(status) === stableStringify(pod.status)) return;
    store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => { o.status = status; });
  }

  function scheduleNext(key: string, run: PodRun): void {
    const times: number[] = [];
    for (const c of run.containers) for (const at of [c.dueAt, c.readyAt, c.probeAt, c.exitAt]) if (at !== undefined) times.push(at);
    if (run.terminatingSince !== undefined) times.push(run.terminatingSince + timing.terminateMs);
    const ads = (store.peek('pods', key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1))?.spec as PodSpec | undefined)?.activeDeadlineSeconds;
    if (ads !== undefined && !run.deadlineKilled) times.push(run.startedAt + ads * timing.jobSecondMs);
    if (times.length) loop.wakeAt(Math.min(...times), 'kubelet', key);
  }

  function reconcile(key: string): void {
    const slash = key.indexOf('/');
    const pod = store.peek('pods', key.slice(0, slash), key.slice(slash + 1));
    if (!pod || !specOf(pod).nodeName) return;
    const t = now();
    let run = runs.get(pod.metadata.uid);
    if (!run) {
      const status = (pod.status ?? {}) as { startTime?: string; phase?: string };
      // pods created already settled (generated clusters) are left as they are, apart from being deleted
      if (status.startTime) {
        if (pod.metadata.deletionTimestamp) store.delete('pods', pod.metadata.namespace, pod.metadata.name);
        return;
      }
      run = newRun(pod, t);
      runs.set(pod.metadata.uid, run);
    }
    if (pod.metadata.deletionTimestamp) {
      const done = ['Succeeded', 'Failed'].includes(String((pod.status as { phase?: string } | undefined)?.phase));
      if (done) {
        store.delete('pods', pod.metadata.namespace, pod.metadata.name);
        return;
      }
      for (const c of run.containers) if (c.stage.kind === 'running' && c.exitAt !== undefined && c.exitAt <= t) exitContainer(pod, run, c, t);
      if (terminate(pod, run, t)) return;
    } else {
      enforceDeadline(pod, run, t);
      for (const c of run.containers) advance(pod, run, c, t);
    }
    writeStatus(pod, run, t);
    scheduleNext(key, run);
  }

  function onEvent(ev: StoreEvent): void {
    if (ev.resource !== 'pods') return;
    const pod = ev.object;
    if (ev.type === 'DELETED') {
      const run = runs.get(pod.metadata.uid);
      if (!run) return;
      runs.delete(pod.metadata.uid);
      for (const handle of run.processes.values()) handle.kill(timing.killGraceMs);
      deps.logs.drop(pod.metadata.uid);
      return;
    }
    if (specOf(pod).nodeName) loop.enqueue('kubelet', keyOf(pod));
  }

  async function stop(): Promise<void> {
    for (const handle of handles) handle.kill(timing.killGraceMs);
    const deadline = Date.now() + timing.killGraceMs + 1000;
    while (handles.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  /**
   * Whether some pod is still on its way to its characteristic state: being created, pulled, started, made
   * ready, terminated, running a worker, or about to fail for the first time. Pods looping in a back-off are not.
   */
  function busy(): boolean {
    if (handles.size > 0) return true;
    for (const run of runs.values()) {
      if (run.terminatingSince !== undefined) return true;
      for (const c of run.containers) {
        const kind = c.stage.kind;
        if (kind === 'creating' || kind === 'starting' || kind === 'pull-error') return true;
        if (kind === 'running' && (c.readyAt !== undefined || (c.exitAt !== undefined && c.restarts === 0 && !run.deadlineKilled))) return true;
      }
    }
    return false;
  }

  return { reconcile, onEvent, busy, stop };
}
