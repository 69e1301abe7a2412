/**
 * Bench: "Show me cluster status" end to end through the ganglion CLI (process start → gateway → planner →
 * cluster-status → answer) on a 1,000-pod kube-sim, against `kubectl get pods -A` on the same kube-sim in the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway } from '../gateway/index.js';
import { startKubeSim, generateCluster } from '@ganglion/kube-sim';
import type { BenchSection } from './bench-section.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROUNDS = 5;

/** Runs a process to its end and returns the wall time in ms; throws with its output when it fails. */
function timed(cmd: string, args: string[], env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out.slice(-400)}`));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function run(): Promise<BenchSection> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-bench-'));
  const sim = await startKubeSim({ scenario: generateCluster({ pods: 1000 }), port: 0, home });
  // the install step (`kubectl apply -f k8s/`): the planner keeps its runs as Run objects
  await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), 'ganglion');
  const gateway = await startGateway({ stackFile: path.join(root, 'stack.yml'), mode: 'shared', home, port: 0, env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'error' }, distRoot: path.join(root, 'dist') });
  const env = { ...process.env, OPENFAAS_URL: gateway.url, NO_COLOR: '1', GANGLION_HOME: home };
  const cliArgs = [path.join(root, 'bin', 'ganglion.js'), 'Show me cluster status'];
  const kubectlArgs = ['--kubeconfig', sim.kubeconfigPath, 'get', 'pods', '-A'];
  try {
    await sim.settle();
    // One warm-up each: the first call pays for loading the function modules and kubectl's discovery cache.
    await timed(process.execPath, cliArgs, env);
    await timed('kubectl', kubectlArgs, env);
    const cli: number[] = [];
    const kubectl: number[] = [];
    const startup: number[] = [];
    const bareNode: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      cli.push(await timed(process.execPath, cliArgs, env));
      kubectl.push(await timed('kubectl', kubectlArgs, env));
      startup.push(await timed(process.execPath, [path.join(root, 'bin', 'ganglion.js'), '--version'], env));
      bareNode.push(await timed(process.execPath, ['-e', '0'], env));
    }
    const ratio = median(cli) / median(kubectl);
    return {
      title: 'CLI: "Show me cluster status" on a 1,000-pod kube-sim vs kubectl get pods -A',
      rows: [
        { name: 'ganglion "Show me cluster status" (median, end to end)', value: Math.round(median(cli)), unit: 'ms' },
        { name: 'kubectl get pods -A (median, same kube-sim)', value: Math.round(median(kubectl)), unit: 'ms' },
        { name: 'ratio ganglion / kubectl', value: Number(ratio.toFixed(2)), unit: '×', goal: '≤ 2×', ok: ratio <= 2 },
        { name: 'ganglion --version (CLI start-up, median)', value: Math.round(median(startup)), unit: 'ms' },
        { name: 'node -e 0 (bare Node start-up, median, for scale)', value: Math.round(median(bareNode)), unit: 'ms' },
      ],
      notes: [`${ROUNDS} rounds after one warm-up each, alternating; each is a new process (node bin/ganglion.js, kubectl).`],
    };
  } finally {
    await gateway.stop();
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
