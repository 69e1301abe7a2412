/** The package's entry point (`@ganglion/kube-sim`): an object store seeded from a scenario, the controllers and the API server, plus a kubeconfig. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectStore } from './store.js';
import { loadScenario, rememberSimulation, seedScenario } from './scenario/load-scenario.js';
import { loadStoreData } from './persist/load-store-data.js';
import { persistStore, type PersistedStore } from './persist/persist-store.js';
import { resumeAfterRestart } from './persist/resume-after-restart.js';
import type { Timing } from './controllers/timing.js';
import type { Clock } from './controllers/work-loop.js';
import { startControllers } from './controllers/index.js';
import { startKubeApiServer } from './server/http-server.js';
import { SIM_CONTEXT, writeKubeconfig } from './kubeconfig.js';
import { makeServingCert } from './server/serving-cert.js';
import { createPodNetwork } from './network/pod-network.js';
import { startClusterProxy } from './network/cluster-proxy.js';

export interface KubeSimOptions {
  /** 'home-lab' (default), 'empty', a path to a scenario YAML file, or a parsed scenario object */
  scenario?: string | object;
  port?: number;
  host?: string;
  /** writes <home>/kubeconfig; default: a fresh temporary directory */
  home?: string;
  /**
   * keep the store under <home>/kube-sim (default false; needs `home`): a home holding data is loaded instead of
   * seeding the scenario, which then gives only its simulation section
   */
  persist?: boolean;
  /** how fast the simulated cluster moves (small values in tests) */
  timing?: Partial<Timing>;
  /** the bearer token clients must send; default: random */
  token?: string;
  /** run the controllers and the simulated kubelet (default true); false = a plain API server over the seeded objects */
  controllers?: boolean;
  /** the script a `ganglion-worker` container runs with node (default: dist/workers/main.js under the working directory) */
  workerEntry?: string;
  /** serve HTTPS (a fresh self-signed certificate, made with openssl, that the kubeconfig trusts) as a real API server does */
  tls?: boolean;
  /** the time the store, the controllers and the API server go by (default: Date.now); tests pass one that jumps */
  clock?: Clock;
  /** run the demo apps (images the scenario `serve`s) as real processes (default true); false = simulate them */
  demoApps?: boolean;
  /** port of the cluster proxy (kube-proxy's stand-in) on `host`; default 0, a free one */
  proxyPort?: number;
}

export interface KubeSim {
  url: string;
  kubeconfigPath: string;
  context: typeof SIM_CONTEXT;
  token: string;
  store: ObjectStore;
  /** where the store is kept (persist: true), and whether it was loaded from there rather than seeded */
  persisted?: { dir: string; restored: boolean };
  stop(): Promise<void>;
  /** resolves once the controllers have nothing left to do (or after ms) */
  settle(ms?: number): Promise<void>;
  /**
   * the cluster proxy (`curl -x <clusterProxy> http://<svc>.<ns>.svc.cluster.local/`), which processes kube-sim
   * runs get as GANGLION_CLUSTER_PROXY; absent without controllers
   */
  clusterProxy?: string;
}

export async function startKubeSim({
  scenario = 'home-lab', port = 0, host = '127.0.0.1', home, persist = false, timing = {}, token = randomBytes(16).toString('hex'), controllers: runControllers = true, tls = false, workerEntry, clock, demoApps = true, proxyPort = 0,
}: KubeSimOptions = {}): Promise<KubeSim> {
  const store = new ObjectStore(clock ? { now: () => new Date(clock.now()) } : {});
  const seed = await loadScenario(scenario);
  const dataDir = persist && home ? path.join(home, 'kube-sim') : undefined;
  const restored = dataDir ? await loadStoreData(dataDir, (m) => { process.stderr.write(`${m}
`); }) : undefined;
  if (restored) {
    store.restore(restored);
    rememberSimulation(store, seed.simulation);
  } else {
    // The home lab's repo annotation names ${GANGLION_HOME}: resolve it against this instance's home.
    seedScenario(store, seed, home ? { vars: { GANGLION_HOME: path.resolve(home) } } : {});
  }
  const persisted: PersistedStore | undefined = dataDir ? await persistStore(store, dataDir) : undefined;
  if (restored) resumeAfterRestart(store, { pods: runControllers });
  const serving = tls ? makeServingCert(host) : undefined;
  const network = createPodNetwork();
  let proxy;
  try {
    proxy = runControllers ? await startClusterProxy({ store, network, host, port: proxyPort }) : undefined;
  } catch (err) {
    await persisted?.close();
    throw err;
  }
  const controllers = runControllers
    ? startControllers(store, { timing, demoApps, network, ...(proxy ? { clusterProxyUrl: proxy.url } : {}), ...(workerEntry ? { workerEntry } : {}), ...(clock ? { clock } : {}) })
    : undefined;
  let server;
  try {
    server = await startKubeApiServer({ store, token, port, host, ...(clock ? { now: () => clock.now() } : {}), ...(serving ? { tls: serving } : {}), ...(controllers ? { logs: controllers.logs, gracefulPodDeletion: true } : {}) });
  } catch (err) {
    await controllers?.stop();
    await proxy?.close();
    await persisted?.close();
    throw err;
  }
  const kubeconfigPath = writeKubeconfig(home ?? mkdtempSync(path.join(os.tmpdir(), 'kube-sim-')), server.url, token, serving?.cert);
  const api = server;
  const clusterProxy = proxy;
  return {
    url: server.url,
    kubeconfigPath,
    context: SIM_CONTEXT,
    token,
    store,
    ...(dataDir ? { persisted: { dir: dataDir, restored: restored !== undefined } } : {}),
    ...(clusterProxy ? { clusterProxy: clusterProxy.url } : {}),
    async stop() {
      await controllers?.stop();
      await clusterProxy?.close();
      await api.close();
      await persisted?.close();
    },
    settle: (ms?: number) => (controllers ? controllers.settle(ms) : Promise.resolve()),
  };
}

export { ObjectStore, KubeStatusError } from './store.js';
export type { KubeObject, NewObject, ObjectMeta, OwnerReference, ListOptions, StoreEvent } from './store.js';
export type { PodLogSource, PodLogOptions } from './pod-log-source.js';
export { SIM_CONTEXT, writeKubeconfig } from './kubeconfig.js';
export { loadScenario } from './scenario/load-scenario.js';
export { generateCluster } from './scenario/generate.js';
export type { GenerateOptions } from './scenario/generate.js';
export type { Scenario } from './scenario/scenario.js';
export { makeServingCert } from './server/serving-cert.js';
export type { ServingCert } from './server/serving-cert.js';
export { DEMO_TIMING, TEST_TIMING } from './controllers/timing.js';
export { DEFAULT_WORKER_ENTRY } from './controllers/index.js';
export type { Clock } from './controllers/work-loop.js';
