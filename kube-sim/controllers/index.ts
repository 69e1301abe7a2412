/** Starts kube-sim's behaviour over an object store: scheduler, kubelet, node, ReplicaSet, Deployment, Job, CronJob and Endpoints controllers. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeStatusError, type ObjectStore, type StoreEvent } from '../store.js';
import { simulationOf } from '../scenario/load-scenario.js';
import type { Simulation } from '../scenario/scenario.js';
import { loadImageCatalog, type ImageCatalog } from '../images/image-catalog.js';
import { pino } from 'pino';
import { resolveTiming, DEMO_TIMING, TEST_TIMING, type Timing } from './timing.js';
import { createWorkLoop, type Clock } from './work-loop.js';
import { createOwnerIndex } from './owner-index.js';
import { createEventRecorder } from './event-recorder.js';
import { createPodLogs, type PodLogOptions, type PodLogSource } from './pod-logs.js';
import { createNodeController } from './node-controller.js';
import { createScheduler } from './scheduler.js';
import { createKubelet } from './kubelet.js';
import { createReplicaSetController } from './replicaset-controller.js';
import { createDeploymentController } from './deployment-controller.js';
import { createJobController } from './job-controller.js';
import { createCronJobController } from './cronjob-controller.js';
import { createEndpointsController } from './endpoints-controller.js';
import { createPodNetwork, type PodNetwork } from '../network/pod-network.js';

export interface ControllerOptions {
  timing?: Partial<Timing>;
  clock?: Clock;
  /** the script a `ganglion-worker` container runs with node (default: DEFAULT_WORKER_ENTRY) */
  workerEntry?: string;
  /** which images exist and how they behave (default: what seedScenario stored for this store; else every image exists) */
  simulation?: Simulation;
  /** the public images a node can pull and what they hold (default: kube-sim's images/catalog.yaml) */
  catalog?: ImageCatalog;
  /** run the images the scenario `serve`s as real demo app processes (default true); false = simulate them like any other */
  demoApps?: boolean;
  /** where those processes are reachable (default: a network of their own, reachable by nobody else) */
  network?: PodNetwork;
  /** the cluster proxy's URL, handed to every process kube-sim runs as GANGLION_CLUSTER_PROXY */
  clusterProxyUrl?: string;
}

export interface Controllers {
  logs: PodLogSource;
  /**
   * Resolves when the controllers are quiet — nothing queued, every pod in its characteristic state (Running and
   * Ready, crash-looping after its first crash, in ImagePullBackOff, Pending unschedulable, Completed) — or after ms.
   */
  settle(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The host project's compiled worker, relative to the working directory: `npm start`, `npm test` and the bench run
 * from the repository root. kube-sim is a package of its own and cannot know where it was installed from.
 */
export const DEFAULT_WORKER_ENTRY = path.join('dist', 'workers', 'main.js');
/** The demo app every `serve`d image runs, compiled beside the controllers. */
const DEMO_APP_ENTRY = fileURLToPath(new URL('../demo-apps/demo-app.js', import.meta.url));
const WATCHED = ['nodes', 'pods', 'replicasets', 'deployments', 'jobs', 'cronjobs', 'services'];

export function startControllers(store: ObjectStore, opts: ControllerOptions = {}): Controllers {
  const timing = resolveTiming(opts.timing);
  const clock = opts.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const seeded = opts.simulation ?? simulationOf(store) ?? {};
  const simulation = opts.demoApps === false ? withoutDemoApps(seeded) : seeded;
  const catalog = opts.catalog ?? loadImageCatalog();
  const log = pino({ name: 'kube-sim-controllers', level: 'warn' }, pino.destination({ dest: 2, sync: true }));
  const loop = createWorkLoop({
    clock,
    tickMs: timing.tickMs,
    onError(err, controller, key) {
      if (err instanceof KubeStatusError && err.code === 404) return;
      log.warn({ err, controller, key }, 'reconcile failed; retrying');
      // conflicts with a concurrent writer resolve on the next pass
      loop.wakeAt(now() + Math.max(100, timing.tickMs * 10), controller, key);
    },
  });
  const index = createOwnerIndex(store);
  const events = createEventRecorder(store, now);
  const podLogs = createPodLogs({ store, simulation, secondMs: timing.secondMs, now });
  const deps = { store, loop, index, events, now };
  const kubelet = createKubelet({ store, loop, timing, now, simulation, catalog, events, logs: podLogs.sink, workerEntry: path.resolve(opts.workerEntry ?? DEFAULT_WORKER_ENTRY),
    demoAppEntry: DEMO_APP_ENTRY, network: opts.network ?? createPodNetwork(), ...(opts.clusterProxyUrl ? { clusterProxyUrl: opts.clusterProxyUrl } : {}),
  });
  const controllers = {
    nodes: createNodeController({ store, loop, now }),
    scheduler: createScheduler(deps),
    kubelet,
    replicasets: createReplicaSetController(deps),
    deployments: createDeploymentController({ ...deps, progressSecondMs: timing.progressSecondMs }),
    jobs: createJobController({ ...deps, timing }),
    cronjobs: createCronJobController(deps),
    endpoints: createEndpointsController({ store, loop, index }),
  };
  for (const [name, c] of Object.entries(controllers)) loop.register(name, c.reconcile);
  const dispatch = (ev: StoreEvent) => {
    index.apply(ev);
    for (const c of Object.values(controllers)) c.onEvent(ev);
  };
  const unsubscribe = store.onChange(dispatch);
  // objects that existed before the controllers started are seen as just added
  for (const resource of WATCHED) {
    for (const object of store.listShared(resource).items) index.apply({ type: 'ADDED', resource, object });
  }
  for (const resource of WATCHED) {
    for (const object of store.listShared(resource).items) {
      for (const [name, c] of Object.entries(controllers)) {
        // every Service is queued once anyway; pods need not queue them again one by one
        if (name === 'endpoints' && resource === 'pods') continue;
        c.onEvent({ type: 'ADDED', resource, object });
      }
    }
  }

  return {
    logs: podLogs.source,
    settle: (ms) => loop.settle(kubelet.busy, ms ?? 30_000),
    async stop() {
      unsubscribe();
      loop.stop();
      await kubelet.stop();
    },
  };
}

function withoutDemoApps(sim: Simulation): Simulation {
  if (!sim.images) return sim;
  return { ...sim, images: Object.fromEntries(Object.entries(sim.images).map(([image, { serve: _serve, ...rest }]) => [image, rest])) };
}

export { DEMO_TIMING, TEST_TIMING };
export type { PodLogOptions, PodLogSource, Timing, Clock, Simulation };
