/**
 * Bench: the repository's whole stack.yml behind `npm start`'s gateway in shared mode (one process) and in isolated
 * mode (the production form: a process per function with its own HOME and secrets), in one run against one kube-sim
 * home lab: resident memory of the gateway plus every function process, idle and after a command that loads the
 * Kubernetes client in the planner and the read tool it calls.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeSim } from '@ganglion/kube-sim';
import { createKubeAccess } from '../cluster/kube-access.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';
import { spawnGateway, type SpawnedGateway } from '../gateway/testing/spawn-gateway.js';
import { parseStack } from '../stack/stack-file.js';
import type { BenchRow, BenchSection } from './bench-section.js';
import { descendantPids, rssMb } from './process-rss.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODES = ['shared', 'isolated'] as const;
type Mode = (typeof MODES)[number];
const COMMAND = 'Show me cluster status';

interface StackRss { gatewayMb: number; functionsMb: number; processes: number }

/** The gateway and every process below it (function processes; their children, if any). */
function stackRss(gw: SpawnedGateway): StackRss {
  const gatewayPid = gw.child.pid as number;
  const below = descendantPids(gatewayPid);
  const functionsMb = below.reduce((a, pid) => a + (rssMb(pid) ?? 0), 0);
  return { gatewayMb: rssMb(gatewayPid) ?? 0, functionsMb, processes: 1 + below.length };
}

async function measure(mode: Mode, kubeconfig: string, context: string): Promise<{ idle: StackRss; warm: StackRss; startMs: number; commandMs: number }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-bench-modes-'));
  const stackFile = path.resolve(dist, '..', 'stack.yml');
  const gw = await spawnGateway({ home, stackFile, env: { GANGLION_GATEWAY_MODE: mode, GANGLION_GATEWAY_PASSWORD: 'bench', KUBECONFIG: kubeconfig, GANGLION_KUBE_CONTEXT: context } });
  try {
    // settle: what start-up allocated and let go is collected before reading
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = stackRss(gw);
    const started = performance.now();
    // the embedded stack's admin token, as the local CLI uses it
    const token = readFileSync(path.join(home, 'admin-token'), 'utf8').trim();
    const res = await fetch(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text: COMMAND }) });
    const answer = (await res.json()) as { status?: string };
    if (res.status !== 200 || answer.status !== 'completed') throw new Error(`"${COMMAND}" in ${mode} mode answered ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    const commandMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 1_000));
    return { idle, warm: stackRss(gw), startMs: gw.startMs, commandMs };
  } finally {
    await gw.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchSection> {
  const stackFile = path.resolve(dist, '..', 'stack.yml');
  const stack = parseStack(readFileSync(stackFile, 'utf8'), {});
  const missing = Object.entries(stack.functions).filter(([, fn]) => !existsSync(path.join(dist, fn.handler, 'handler.js'))).map(([n]) => n);
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}; run npm run build`);
  const n = Object.keys(stack.functions).length;
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0 });
  try {
    await sim.settle(5_000);
    await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients(), 'ganglion');
    const results = {} as Record<Mode, Awaited<ReturnType<typeof measure>>>;
    for (const mode of MODES) results[mode] = await measure(mode, sim.kubeconfigPath, sim.context);
    const total = (r: StackRss) => r.gatewayMb + r.functionsMb;
    const rows: BenchRow[] = [];
    for (const mode of MODES) {
      const r = results[mode];
      rows.push(
        { name: `${mode} mode: RSS idle (gateway + functions, ${r.idle.processes} processes)`, value: `${total(r.idle).toFixed(0)} MB (gateway ${r.idle.gatewayMb.toFixed(0)} + functions ${r.idle.functionsMb.toFixed(0)})` },
        { name: `${mode} mode: RSS after "${COMMAND}"`, value: `${total(r.warm).toFixed(0)} MB (gateway ${r.warm.gatewayMb.toFixed(0)} + functions ${r.warm.functionsMb.toFixed(0)})` },
        { name: `${mode} mode: start → serving / "${COMMAND}"`, value: `${r.startMs.toFixed(0)} ms / ${r.commandMs.toFixed(0)} ms` },
      );
    }
    rows.push(
      { name: 'isolated vs shared, RSS after the command', value: total(results.isolated.warm) / total(results.shared.warm), unit: '×' },
      { name: 'isolated mode: RSS per function process after the command (mean)', value: results.isolated.warm.functionsMb / Math.max(1, results.isolated.warm.processes - 1), unit: 'MB' },
    );
    return {
      title: `stack modes: the repository's stack.yml (${n} functions) in shared and isolated mode, one kube-sim home lab`,
      rows,
      notes: [
        'RSS is read from /proc for the gateway and every process below it; kube-sim runs in the bench process and is not counted',
        'isolated mode runs the unbundled entry (node dist/host/main.js <fn>), one per function, as process mode does; a production pod runs the bundle, smaller (production section)',
        `the command goes through the planner to cluster-status, so two function processes have loaded the Kubernetes client; the other ${n - 2} stay idle`,
      ],
    };
  } finally {
    await sim.stop();
  }
}
