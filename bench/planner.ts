/**
 * Bench: the planner's own cost. The embedded planner's planning time for the seed commands, and a whole run
 * through the gateway ("Show me cluster status" and a scale preview) against calling the function directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGateway } from '../gateway/index.js';
import { startKubeSim } from '@ganglion/kube-sim';
import { createEmbeddedPlanner } from '../functions/planner/embedded-planner.js';
import { homeLabFacts } from '../functions/planner/testing/home-lab-facts.js';
import type { BenchSection } from './bench-section.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { measureRunState } from './run-state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEED = ['Show me cluster status', 'List all failing pods', 'Get logs from the api-server pod', 'Deploy placemyparents version 2.0', 'Roll back the last deployment', 'Scale the web tier to 5 replicas'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timeIt(n: number, fn: () => Promise<unknown>): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

export async function run(): Promise<BenchSection> {
  const planner = createEmbeddedPlanner();
  const facts = homeLabFacts();
  const signal = new AbortController().signal;
  const planMs = await timeIt(2000, () => Promise.all(SEED.map((text) => planner.plan({ text, facts, catalog: [], signal }))));

  const runState = await measureRunState();
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-bench-'));
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing: { tickMs: 5, pullMs: 20, podStartMs: 20, readyMs: 30 } });
  await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), 'ganglion');
  const gw = await startGateway({ stackFile: path.join(root, 'stack.yml'), mode: 'shared', home, port: 0, distRoot: path.join(root, 'dist'), env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'error' } });
  const post = (fn: string, body: string) => fetch(`${gw.url}/function/${fn}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }).then((r) => r.text());
  try {
    await sim.settle(2000);
    await post('planner', 'Show me cluster status');
    await post('cluster-status', '');
    const viaPlanner = await timeIt(15, () => post('planner', 'Show me cluster status'));
    const direct = await timeIt(15, () => post('cluster-status', ''));
    const preview = await timeIt(10, () => post('planner', 'Scale the web tier to 5 replicas'));
    return {
      title: 'planner',
      rows: [
        { name: 'embedded planner: plan the 6 seed commands (median)', value: Number((planMs * 1000).toFixed(0)), unit: 'µs' },
        { name: '"Show me cluster status" via planner (median, home-lab)', value: Number(viaPlanner.toFixed(1)), unit: 'ms' },
        { name: 'cluster-status called directly (median)', value: Number(direct.toFixed(1)), unit: 'ms' },
        { name: 'ratio planner run / direct call', value: Number((viaPlanner / direct).toFixed(2)), unit: '×', goal: '≤ 2×', ok: viaPlanner / direct <= 2 },
        { name: '"Scale the web tier to 5" to awaiting-approval (3 parallel dry runs)', value: Number(preview.toFixed(1)), unit: 'ms' },
        { name: 'run state on kube-sim: Run object writes per step (3-step scale run, dry run + apply each)', value: Number((runState.writes / runState.steps).toFixed(2)), unit: 'writes' },
        { name: 'run state on kube-sim: ms per Run object write (create or PUT, measured on kube-sim)', value: Number(runState.msPerWrite.toFixed(2)), unit: 'ms' },
      ],
      notes: [
        'Through the embedded gateway in shared mode; a planner run adds reading namespaces and Deployments, planning, the Run object writes.',
        `Run state measured on kube-sim over ${runState.runs} runs (${runState.steps} steps, ${runState.writes} writes): each step is written when it starts and when it ends; writes made while one is in flight ride on the next. A real API server (etcd) is slower per write.`,
      ],
    };
  } finally {
    await gw.stop();
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
