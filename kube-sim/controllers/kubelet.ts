/**
 * The simulated kubelet: takes each pod bound to a node through pull → create → start → (ready | crash | OOM |
 * exit), with back-offs, restart counts, events and graceful deletion. `ganglion-worker` containers run for real.
 */
import type { KubeObject, ObjectStore, StoreEvent } from '../store.js';
import type { Simulation } from '../scenario/scenario.js';
import type { ImageCatalog } from '../images/image-catalog.js';
import { containerStatus, type ContainerRun, type PodRun, type PodSpec } from './container-run.js';
import { podConditions, podPhase, type PodCondition } from './pod-status.js';
import type { WorkerHandle } from './worker-process.js';
import { qosClass } from './quantity.js';
import { stableStringify } from './pod-template-hash.js';
import type { Timing } from './timing.js';
import { createContainerLifecycle } from './container-lifecycle.js';
import type { WorkLoop } from './work-loop.js';
import type { EventRecorder } from './event-recorder.js';
import type { WorkerLogSink } from './pod-logs.js';
import type { PodNetwork } from '../network/pod-network.js';

export interface KubeletDeps {
  store: ObjectStore; loop: WorkLoop; timing: Timing; now: () => number; simulation: Simulation; catalog: ImageCatalog; events: EventRecorder; logs: WorkerLogSink; workerEntry: string;
  demoAppEntry: string; network: PodNetwork; clusterProxyUrl?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createKubelet(deps: KubeletDeps) {
  const { store, loop, timing, now, simulation, events } = deps;
  const runs = new Map<string, PodRun>();
  const handles = new Set<WorkerHandle>();
  const ipCounters = new Map<string, number>();

  const keyOf = (pod: KubeObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;
  const specOf = (pod: KubeObject) => (pod.spec ?? {}) as PodSpec;
  const emit = (pod: KubeObject, c: ContainerRun | undefined, type: 'Normal' | 'Warning', reason: string, message: string) =>
    events.record(pod, type, reason, message, { component: 'kubelet', host: specOf(pod).nodeName }, c ? `spec.containers{${c.name}}` : undefined);

  const { advance, exitContainer } = createContainerLifecycle({
    store, timing, now, simulation, catalog: deps.catalog, logs: deps.logs, workerEntry: deps.workerEntry, emit, handles,
    demoAppEntry: deps.demoAppEntry, network: deps.network, ...(deps.clusterProxyUrl ? { clusterProxyUrl: deps.clusterProxyUrl } : {}),
    onProcessChange: (run, key) => { if (runs.get(run.uid) === run) loop.enqueue('kubelet', key); },
  });

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
   * ready (a demo app: its first readiness result), terminated, running a worker, or about to fail for the first
   * time. Pods looping in a back-off are not; nor are demo apps serving.
   */
  function busy(): boolean {
    for (const handle of handles) if (!handle.serving) return true;
    for (const run of runs.values()) {
      if (run.terminatingSince !== undefined) return true;
      for (const c of run.containers) {
        const kind = c.stage.kind;
        if (kind === 'creating' || kind === 'starting' || kind === 'pull-error') return true;
        if (kind === 'running' && (c.readyAt !== undefined || c.probed === false || (c.exitAt !== undefined && c.restarts === 0 && !run.deadlineKilled))) return true;
      }
    }
    return false;
  }

  return { reconcile, onEvent, busy, stop };
}
