/** Writes the kubeconfig that points kubectl and client-node at a kube-sim: cluster, user and context `ganglion-sim`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export const SIM_CONTEXT = 'ganglion-sim';

/** The kubeconfig text for a kube-sim at `server` with a bearer token; over HTTPS it trusts `ca` (PEM), as for a cluster. */
export function kubeconfigText(server: string, token: string, ca?: Buffer): string {
  const cluster = ca ? { server, 'certificate-authority-data': ca.toString('base64') } : { server, 'insecure-skip-tls-verify': true };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: SIM_CONTEXT, cluster }],
    users: [{ name: `${SIM_CONTEXT}-admin`, user: { token } }],
    contexts: [{ name: SIM_CONTEXT, context: { cluster: SIM_CONTEXT, user: `${SIM_CONTEXT}-admin`, namespace: 'default' } }],
    'current-context': SIM_CONTEXT,
    preferences: {},
  });
}

/** Writes `<home>/kubeconfig` (mode 0600) and returns its path. */
export function writeKubeconfig(home: string, server: string, token: string, ca?: Buffer): string {
  mkdirSync(home, { recursive: true });
  const file = path.join(home, 'kubeconfig');
  writeFileSync(file, kubeconfigText(server, token, ca), { mode: 0o600 });
  return file;
}
