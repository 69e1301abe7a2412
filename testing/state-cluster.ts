/** Test harness: a fresh kube-sim with Ganglion's definitions installed (as `kubectl apply -f k8s/` would), and its state client. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { createKubeAccess, type KubeAccess, type KubeClients } from '../cluster/kube-access.js';
import { loadConfig, type RuntimeConfig } from '../kernel/config.js';
import { stateClient, type StateClient } from '../cluster-state/ganglion-objects.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';

export interface StateCluster {
  home: string;
  sim: KubeSim;
  kube: KubeAccess;
  clients: KubeClients;
  /** GANGLION_HOME and KUBECONFIG of this cluster, plus `env`. */
  config: RuntimeConfig;
  state: StateClient;
  stop(): Promise<void>;
}

/** `install: false` leaves the definitions out, as on a cluster nobody ran `kubectl apply -f k8s/` on. */
export async function startStateCluster({ scenario, install = true, env = {} }: { scenario?: string; install?: boolean; env?: Record<string, string> } = {}): Promise<StateCluster> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-state-'));
  const sim = await startKubeSim({ home, port: 0, ...(scenario ? { scenario } : {}) });
  // secrets of its own (never /var/openfaas/secrets of the machine): tests write API tokens there
  const config = loadConfig({ GANGLION_HOME: home, KUBECONFIG: sim.kubeconfigPath, LOG_LEVEL: 'silent', GANGLION_SECRETS_DIR: `${home}/secrets`, ...env });
  const kube = createKubeAccess({ kubeconfig: sim.kubeconfigPath });
  const clients = await kube.clients();
  if (install) await installDefinitions(clients, config.state.namespace);
  return {
    home, sim, kube, clients, config, state: stateClient(kube, config),
    async stop() {
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
