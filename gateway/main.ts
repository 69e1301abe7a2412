/**
 * `npm start`: the embedded stack. Starts kube-sim when no KUBECONFIG is set (so functions have a cluster to
 * talk to), then the gateway with every stack.yml function, and prints one line of what is up.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../kernel/config.js';
import { startGateway } from './index.js';
import { createDemoRepo, demoRepoPath } from '../workers/demo-repo.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';

interface KubeSimHandle {
  url: string;
  kubeconfigPath: string;
  /** kube-sim's cluster proxy: Services by cluster DNS name (`curl -x <it> http://<svc>.<ns>.svc.cluster.local/`) */
  clusterProxy?: string;
  stop(): Promise<void>;
  settle(ms?: number): Promise<void>;
}

type StartKubeSim = (opts: { home: string; port: number; workerEntry: string; persist: boolean; demoApps: boolean }) => Promise<KubeSimHandle>;

/** How long `npm start` waits for the demo cluster's simulated kubelet to have started its pods (~4 s for home-lab). */
const SIM_SETTLE_MS = 15_000;

/** The worker built beside this gateway (dist/workers/main.js): kube-sim runs it for `ganglion-worker` containers. */
const WORKER_ENTRY = fileURLToPath(new URL('../workers/main.js', import.meta.url));

/** kube-sim is a stand-in for demos, its own workspace package; it is imported by a computed name so the gateway builds without it. */
async function startSimulator(home: string, demoApps: boolean): Promise<KubeSimHandle | undefined> {
  const specifier = '@ganglion/kube-sim';
  let mod: { startKubeSim?: StartKubeSim };
  try {
    mod = (await import(specifier)) as { startKubeSim?: StartKubeSim };
  } catch (err) {
    process.stderr.write(`ganglion: no KUBECONFIG set and kube-sim could not be loaded (${(err as Error).message}); functions that read the cluster will fail until you set KUBECONFIG\n`);
    return undefined;
  }
  if (typeof mod.startKubeSim !== 'function') {
    process.stderr.write(`ganglion: ${specifier} has no startKubeSim; set KUBECONFIG to use a real cluster\n`);
    return undefined;
  }
  // the demo cluster keeps what was done to it (under <home>/kube-sim) across restarts of the stack
  return mod.startKubeSim({ home, port: 0, workerEntry: WORKER_ENTRY, persist: true, demoApps });
}

function ensureDemoRepo(home: string): void {
  try {
    createDemoRepo(demoRepoPath(home));
  } catch (err) {
    process.stderr.write(`ganglion: could not create the demo repository under ${demoRepoPath(home)} (${(err as Error).message}); code operations need git installed, or set GANGLION_REPO\n`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  // In shared mode a function's stray rejected promise must not take every other function down with it.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`ganglion: unhandled rejection (kept serving): ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}\n`);
  });
  const env: Record<string, string> = {};
  let sim: KubeSimHandle | undefined;
  if (!config.kubeconfig) {
    // the demo cluster's placemyparents points (annotation ganglion.dev/repo) at this repository, so code operations work out of the box
    ensureDemoRepo(config.home);
    sim = await startSimulator(config.home, config.gateway.demoApps);
    if (sim) {
      env.KUBECONFIG = sim.kubeconfigPath;
      // functions reach the demo cluster's Services as its worker Jobs do: through kube-sim's cluster proxy
      if (sim.clusterProxy) env.GANGLION_CLUSTER_PROXY = sim.clusterProxy;
      // the install step a real cluster gets from `kubectl apply -f k8s/`: the state namespace and Ganglion's CRDs
      await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), config.state.namespace);
    }
    // A real cluster's pods started long before anyone asks; the demo's start with the gateway. Serve once they
    // have (or SIM_SETTLE_MS passed), so a first "Show me cluster status" describes the lab, not its boot.
    await sim?.settle(SIM_SETTLE_MS);
  }
  const stackFile = config.gateway.stackFile;
  if (!existsSync(stackFile)) throw new Error(`${stackFile} not found; run npm start from the repository root or set GANGLION_STACK_FILE`);
  const gateway = await startGateway({ stackFile, mode: config.gateway.mode, home: config.home, port: config.gateway.port, host: config.gateway.host, env });
  const fns = gateway.functions();
  const services = sim?.clusterProxy ? `; its Services: curl -x ${sim.clusterProxy} http://placemyparents.apps.svc.cluster.local/` : '';
  const cluster = sim ? `kube-sim at ${sim.url} (KUBECONFIG=${sim.kubeconfigPath}${services})` : config.kubeconfig ? `KUBECONFIG=${config.kubeconfig}` : 'no cluster';
  process.stdout.write(
    `ganglion gateway on ${gateway.url} (${gateway.mode} mode): ${fns.length} functions [${fns.join(', ')}]; cluster: ${cluster}; ` +
      `/system/* user admin, password ${config.gateway.password ? 'from GANGLION_GATEWAY_PASSWORD' : `in ${path.join(config.home, 'basic-auth-password')}`}\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.stop();
    await sim?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`ganglion: ${(err as Error).message}\n`);
  process.exit(1);
});
