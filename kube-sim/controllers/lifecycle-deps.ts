/** What a container's life in the simulated kubelet needs (container-lifecycle.ts), and what a demo app's start uses of it. */
import type { KubeObject, ObjectStore } from '../store.js';
import type { Simulation } from '../scenario/scenario.js';
import type { ImageCatalog } from '../images/image-catalog.js';
import type { ContainerRun, PodRun } from './container-run.js';
import type { WorkerHandle } from './worker-process.js';
import type { Timing } from './timing.js';
import type { WorkerLogSink } from './pod-logs.js';
import type { PodNetwork } from '../network/pod-network.js';

export interface LifecycleDeps {
  store: ObjectStore; timing: Timing; now: () => number; simulation: Simulation; logs: WorkerLogSink; workerEntry: string;
  /** public images: tags, programs, ports, memory (images/catalog.yaml) */
  catalog: ImageCatalog;
  emit(pod: KubeObject, c: ContainerRun | undefined, type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** worker processes still running (stop() and settle() look at them) */
  handles: Set<WorkerHandle>;
  /** a process exited or changed readiness: the kubelet should look at this pod again (unless the run is gone) */
  onProcessChange(run: PodRun, podKey: string): void;
  /** the demo app script (demo-apps/demo-app.js) run for images the scenario `serve`s */
  demoAppEntry: string;
  network: PodNetwork;
  /** the cluster proxy's URL, given to every process as GANGLION_CLUSTER_PROXY */
  clusterProxyUrl?: string;
}
