/**
 * A container of a demo app image (the scenario's `serve:`) runs for real: the demo app process for the image's
 * version, attached to the pod network at podIP:containerPort, its readiness and liveness probes run against it.
 */
import type { KubeObject } from '../store.js';
import type { DemoAppBehaviour } from '../scenario/scenario.js';
import type { ContainerRun, PodRun } from './container-run.js';
import { containerEnv, type ContainerSpec } from './container-env.js';
import { startWorker, type WorkerHandle } from './worker-process.js';
import { startProber, type ProbedContainer } from './container-probes.js';
import type { LifecycleDeps } from './lifecycle-deps.js';

type DemoApp = DemoAppBehaviour & { app: string; version: string };

function demoEnv(demo: DemoApp, containerPort: number): Record<string, string> {
  return {
    DEMO_APP_NAME: demo.app,
    DEMO_APP_VERSION: demo.version,
    DEMO_APP_CONTAINER_PORT: String(containerPort),
    ...(demo.api ? { DEMO_APP_API: demo.api } : {}),
    ...(demo.apiStatus !== undefined ? { DEMO_APP_API_STATUS: String(demo.apiStatus) } : {}),
    ...(demo.latencyMs !== undefined ? { DEMO_APP_LATENCY_MS: String(demo.latencyMs) } : {}),
  };
}

export function startDemoApp(deps: LifecycleDeps, pod: KubeObject, run: PodRun, c: ContainerRun, spec: ContainerSpec, demo: DemoApp): void {
  const { network, timing } = deps;
  const container = spec as ContainerSpec & ProbedContainer;
  const containerPort = container.ports?.[0]?.containerPort ?? 8080;
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const env = containerEnv(deps.store, pod, spec);
  const attempt = c.restarts;
  let prober: { stop(): void } | undefined;
  c.probed = false;
  const handle: WorkerHandle = startWorker({
    workerEntry: deps.demoAppEntry,
    args: [],
    env: { ...(env.ok ? env.env : {}), ...demoEnv(demo, containerPort), ...(deps.clusterProxyUrl ? { GANGLION_CLUSTER_PROXY: deps.clusterProxyUrl } : {}) },
    podName: pod.metadata.name,
    missingHint: 'build kube-sim (npm run build): the demo apps are compiled with it',
    onOutput: (text) => deps.logs.append(run.uid, c.name, attempt, text, deps.now()),
    onListening: (port) => {
      network.attach(run.podIP, containerPort, port);
      prober = startProber({
        container, podIP: run.podIP, network, secondMs: timing.secondMs,
        onReadiness: (ready) => {
          c.probed = true;
          if (c.stage.kind !== 'running' || run.terminatingSince !== undefined || c.ready === ready) return;
          c.ready = ready;
          deps.onProcessChange(run, key);
        },
        onFailure: (kind, message) => deps.emit(pod, c, 'Warning', 'Unhealthy', `${kind} probe failed: ${message}`),
        onLivenessFailed: () => {
          prober?.stop();
          deps.emit(pod, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
          handle.kill(timing.killGraceMs);
        },
      });
    },
    onExit: (exitCode) => {
      prober?.stop();
      network.detach(run.podIP, containerPort);
      deps.handles.delete(handle);
      run.processes.delete(c.name);
      c.ready = false;
      c.probed = true;
      if (c.stage.kind !== 'running') return;
      c.exitAt = deps.now();
      c.exit = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' };
      deps.onProcessChange(run, key);
    },
  });
  deps.handles.add(handle);
  run.processes.set(c.name, handle);
}
