/**
 * One container's life in the simulated kubelet: pull (or fail to), create, start, become ready, exit, crash-loop
 * with back-off, or run for real as a process (a `ganglion-worker`, or a demo app probed for real). Each step records
 * the events kubelet records.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { KubeObject } from '../store.js';
import { behaviourOf, demoAppOf, normaliseImage } from '../scenario/scenario.js';
import { pullImage } from '../images/image-pull.js';
import { planStart, type ContainerShape } from '../images/container-faults.js';
import type { ContainerRun, PodRun, PodSpec, Terminated } from './container-run.js';
import { containerEnv, type ContainerSpec } from './container-env.js';
import { isWorkerImage, startWorker, type WorkerHandle } from './worker-process.js';
import { parseQuantity } from './quantity.js';
import { backoffMs } from './timing.js';
import { startDemoApp } from './demo-app-container.js';
import type { LifecycleDeps } from './lifecycle-deps.js';

export type { LifecycleDeps };


const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

export function createContainerLifecycle(deps: LifecycleDeps) {
  const { store, timing, now, simulation, emit, handles } = deps;
  const specOf = (pod: KubeObject) => (pod.spec ?? {}) as PodSpec;
  const containerSpec = (pod: KubeObject, name: string) => specOf(pod).containers?.find((c) => c.name === name);

  function pull(pod: KubeObject, c: ContainerRun, t: number): void {
    const spec = containerSpec(pod, c.name);
    const env = spec ? containerEnv(store, pod, spec) : { ok: true as const, env: {} };
    if (!env.ok) {
      c.pullFailures++;
      c.stage = { kind: 'config-error', message: env.message };
      c.dueAt = t + backoffMs(timing.crashBackoffMs, timing.maxBackoffMs, c.pullFailures);
      emit(pod, c, 'Warning', 'Failed', `Error: ${env.message}`);
      return;
    }
    const pulled = pullImage(deps.catalog, simulation, c.image);
    if (!pulled.ok) {
      const { message } = pulled;
      emit(pod, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      emit(pod, c, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${message}`);
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
  }

  function start(pod: KubeObject, run: PodRun, c: ContainerRun, t: number): void {
    const spec = containerSpec(pod, c.name);
    const behaviour = behaviourOf(simulation, c.image);
    const env = spec && !isWorkerImage(c.image) ? containerEnv(store, pod, spec) : undefined;
    const plan = spec && env ? planStart({ catalog: deps.catalog, image: c.image, spec: spec as ContainerShape, env: env.ok ? env.env : {}, podIP: run.podIP, serves: behaviour.serves }) : {};
    c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    emit(pod, c, 'Normal', 'Created', `Created container ${c.name}`);
    if (plan.startError) {
      // containerd could not exec the program: the container never ran (StartError, exit 128, started at the epoch)
      emit(pod, c, 'Warning', 'Failed', `Error: ${plan.startError}`);
      c.stage = { kind: 'running', startedAt: iso(0) };
      c.exit = { exitCode: 128, reason: 'StartError', message: plan.startError };
      exitContainer(pod, run, c, t);
      return;
    }
    emit(pod, c, 'Normal', 'Started', `Started container ${c.name}`);
    c.stage = { kind: 'running', startedAt: iso(t) };
    c.dueAt = undefined;
    c.everStarted = true;
    const policy = specOf(pod).restartPolicy ?? 'Always';
    const planned = plan.failsFirst ?? (behaviour.exit || behaviour.memory ? undefined : plan.exit);
    if (planned?.log) deps.logs.append(run.uid, c.name, c.restarts, planned.log.map((line) => `${line}\n`).join(''), t);
    const demo = demoAppOf(simulation, c.image);
    if (demo && spec && !plan.failsFirst) {
      // readiness comes from its probes, run against the process
      startDemoApp(deps, pod, run, c, spec, demo);
      return;
    }
    if (isWorkerImage(c.image) && spec) runWorker(pod, run, c, spec);
    else if (plan.failsFirst) {
      c.exitAt = t + plan.failsFirst.afterSeconds * timing.secondMs;
      c.exit = { exitCode: plan.failsFirst.exitCode, reason: plan.failsFirst.reason };
    } else if (behaviour.exit) {
      c.exitAt = t + behaviour.exit.afterSeconds * timing.secondMs;
      c.exit = { exitCode: behaviour.exit.exitCode, reason: behaviour.exit.exitCode === 0 ? 'Completed' : 'Error' };
    } else if (behaviour.memory && parseQuantity(behaviour.memory.usage) > parseQuantity(spec?.resources?.limits?.memory ?? 'Infinity')) {
      c.exitAt = t + behaviour.memory.afterSeconds * timing.secondMs;
      c.exit = { exitCode: 137, reason: 'OOMKilled' };
    } else if (plan.exit) {
      c.exitAt = t + plan.exit.afterSeconds * timing.secondMs;
      c.exit = { exitCode: plan.exit.exitCode, reason: plan.exit.reason };
    } else if (plan.liveness) {
      c.exitAt = t + plan.liveness.afterSeconds * timing.secondMs;
      c.exit = { exitCode: plan.liveness.exitCode, reason: plan.liveness.reason, liveness: plan.liveness };
    } else if (policy !== 'Always') {
      // a simulated batch container with nothing scripted does its work and succeeds
      c.exitAt = t + timing.secondMs;
      c.exit = { exitCode: 0, reason: 'Completed' };
    }
    // an app that is about to fail on start-up (api-server without its database) never passes its probe
    const failsEarly = behaviour.exit !== undefined && behaviour.exit.exitCode !== 0 && spec?.readinessProbe !== undefined;
    if (failsEarly) return;
    if (!spec?.readinessProbe) c.ready = true;
    else if (behaviour.readiness?.failing || plan.readinessFailure) {
      c.probeAt = t + timing.readyMs;
      c.probeFailure = behaviour.readiness?.failing ? behaviour.readiness.message : plan.readinessFailure;
    }
    else c.readyAt = t + timing.readyMs;
  }

  function runWorker(pod: KubeObject, run: PodRun, c: ContainerRun, spec: ContainerSpec): void {
    const env = containerEnv(store, pod, spec);
    const attempt = c.restarts;
    const handle: WorkerHandle = startWorker({
      workerEntry: deps.workerEntry,
      args: spec.args ?? [],
      env: { ...(env.ok ? env.env : {}), ...(deps.clusterProxyUrl ? { GANGLION_CLUSTER_PROXY: deps.clusterProxyUrl } : {}) },
      podName: pod.metadata.name,
      onOutput: (text) => deps.logs.append(run.uid, c.name, attempt, text, now()),
      onExit: (exitCode) => {
        handles.delete(handle);
        run.processes.delete(c.name);
        if (c.stage.kind !== 'running') return;
        c.exitAt = now();
        c.exit = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' };
        deps.onProcessChange(run, `${pod.metadata.namespace}/${pod.metadata.name}`);
      },
    });
    handles.add(handle);
    run.processes.set(c.name, handle);
  }

  function exitContainer(pod: KubeObject, run: PodRun, c: ContainerRun, t: number): void {
    const exit = c.exit ?? { exitCode: 0, reason: 'Completed' };
    const startedAt = c.stage.kind === 'running' ? c.stage.startedAt : iso(t);
    const term: Terminated = { exitCode: exit.exitCode, reason: exit.reason, ...(exit.message ? { message: exit.message } : {}), startedAt, finishedAt: iso(t), containerID: c.containerID ?? '' };
    if (exit.liveness) {
      for (let i = 0; i < exit.liveness.failures; i++) emit(pod, c, 'Warning', 'Unhealthy', `Liveness probe failed: ${exit.liveness.message}`);
      emit(pod, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
    }
    c.ready = false;
    c.readyAt = c.probeAt = c.exitAt = c.exit = c.probeFailure = undefined;
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
          emit(pod, c, 'Warning', 'Unhealthy', `Readiness probe failed: ${c.probeFailure ?? 'HTTP probe failed with statuscode: 503'}`);
          c.probeAt = t + (containerSpec(pod, c.name)?.readinessProbe?.periodSeconds ?? 10) * timing.secondMs;
          continue;
        }
        if (c.exitAt !== undefined && c.exitAt <= t) { exitContainer(pod, run, c, t); continue; }
        return;
      }
      if (c.dueAt === undefined || c.dueAt > t) return;
      if (s.kind === 'creating' || s.kind === 'pull-backoff' || s.kind === 'config-error') pull(pod, c, t);
      else if (s.kind === 'pull-error') {
        c.pullFailures++;
        c.stage = { kind: 'pull-backoff', message: `Back-off pulling image "${c.image}"` };
        c.dueAt = t + backoffMs(timing.crashBackoffMs, timing.maxBackoffMs, c.pullFailures);
        emit(pod, c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
        emit(pod, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      } else if (s.kind === 'crash-backoff') pull(pod, c, t);
      else if (s.kind === 'starting') start(pod, run, c, t);
      else return;
    }
  }


  return { advance, exitContainer };
}
