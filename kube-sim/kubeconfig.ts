/** Writes the kubeconfig that points kubectl and client-node at a kube-sim: cluster, user and context `ganglion-sim`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export const SIM_CONTEXT = 'ganglion-sim';

/** The kubeconfig text for a kube-sim at `server` with a bearer token. */
export function kubeconfigText(server: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: SIM_CONTEXT, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: `${SIM_CONTEXT}-admin`, user: { token } }],
    contexts: [{ name: SIM_CONTEXT, context: { cluster: SIM_CONTEXT, user: `${SIM_CONTEXT}-admin`, namespace: 'default' } }],
    'current-context': SIM_CONTEXT,
    preferences: {},
  });
}

/** Writes `<home>/kubeconfig` (mode 0600) and returns its path. */
export function writeKubeconfig(home: string, server: string, token: string): string {
  mkdirSync(home, { recursive: true });
  const file = path.join(home, 'kubeconfig');
  writeFileSync(file, kubeconfigText(server, token), { mode: 0o600 });
  return file;
}
