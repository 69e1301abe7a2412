/**
 * Test support for release commands (deploy and verify, canary, A/B) on kube-sim's home lab with the demo apps running
 * for real: the CLI typed into, the real kubectl, and HTTP to the app through kube-sim's cluster proxy.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { runCli } from '../cli/testing/run-cli.js';
import { startHomeLabGateway, type HomeLabGateway } from './scenario-stack.js';
import type { CliResult } from '../cli/testing/run-cli.js';

const run = promisify(execFile);

export interface ReleaseStack extends HomeLabGateway {
  /** `ganglion --yes <command>` (or other argv) against the stack. */
  cli(argv: string[]): Promise<CliResult>;
  /** The real kubectl against kube-sim. */
  kubectl(...args: string[]): Promise<string>;
  /** GET a URL through kube-sim's cluster proxy, as a pod would reach it: status and body. */
  get(url: string): Promise<{ status: number; body: string }>;
}

export async function startReleaseStack(opts: { functions?: string[]; env?: Record<string, string> } = {}): Promise<ReleaseStack> {
  const stack = await startHomeLabGateway({ settleMs: 3_000, ...opts });
  const proxy = stack.sim.clusterProxy;
  if (!proxy) throw new Error('kube-sim started without its cluster proxy');
  const p = new URL(proxy);
  return {
    ...stack,
    cli: (argv) => runCli(['--gateway', stack.gw.url, ...argv], { env: { GANGLION_HOME: stack.home }, stdoutIsTTY: false, pollMs: 50 }),
    kubectl: async (...args) => (await run('kubectl', ['--kubeconfig', stack.sim.kubeconfigPath, ...args], { timeout: 20_000 })).stdout,
    get: (url) => new Promise((resolve, reject) => {
      http.get({ host: p.hostname, port: p.port, path: url, headers: { host: new URL(url).host } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    }),
  };
}
