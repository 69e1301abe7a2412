/**
 * Bench: what the demo apps running for real cost `npm start`'s whole embedded stack (gateway, every stack.yml
 * function in shared mode, kube-sim in the gateway process, and the demo app processes kube-sim starts), beside the
 * same stack with GANGLION_DEMO_APPS=false (kube-sim simulates the apps, as before): start time to serving and
 * resident memory of the whole process tree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnGateway, type SpawnedGateway } from '../gateway/testing/spawn-gateway.js';
import type { BenchRow, BenchSection } from './bench-section.js';
import { descendantPids, rssMb } from './process-rss.js';

const stackFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'stack.yml');
const ROUNDS = 2;

interface Tree { totalMb: number; gatewayMb: number; appsMb: number; apps: number }

function treeRss(gw: SpawnedGateway): Tree {
  const root = gw.child.pid as number;
  const below = descendantPids(root);
  const appsMb = below.reduce((a, pid) => a + (rssMb(pid) ?? 0), 0);
  const gatewayMb = rssMb(root) ?? 0;
  return { totalMb: gatewayMb + appsMb, gatewayMb, appsMb, apps: below.length };
}

async function once(demoApps: boolean): Promise<{ startMs: number; tree: Tree }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-bench-apps-'));
  // no KUBECONFIG: npm start's own kube-sim (home-lab), as a first-time user gets it
  const gw = await spawnGateway({ home, stackFile, env: { KUBECONFIG: '', GANGLION_GATEWAY_PASSWORD: 'bench', GANGLION_DEMO_APPS: String(demoApps) } });
  try {
    await new Promise((r) => setTimeout(r, 3_000));
    return { startMs: gw.startMs, tree: treeRss(gw) };
  } finally {
    await gw.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function run(): Promise<BenchSection> {
  const runs: Record<'with' | 'without', Array<{ startMs: number; tree: Tree }>> = { with: [], without: [] };
  // alternated, so a busy moment on a shared machine hits both alike
  for (let i = 0; i < ROUNDS; i++) {
    runs.with.push(await once(true));
    runs.without.push(await once(false));
  }
  const row = (label: 'with' | 'without'): BenchRow[] => {
    const r = runs[label];
    const total = median(r.map((x) => x.tree.totalMb));
    const last = r.at(-1)?.tree;
    return [
      { name: `npm start ${label} the demo apps running: start → serving (median)`, value: median(r.map((x) => x.startMs)), unit: 'ms' },
      { name: `npm start ${label} the demo apps running: RSS of the whole tree, 3 s after serving (median)`, value: `${total.toFixed(0)} MB (gateway+kube-sim ${last?.gatewayMb.toFixed(0)} MB + ${last?.apps ?? 0} app processes ${last?.appsMb.toFixed(0)} MB)` },
    ];
  };
  const extra = median(runs.with.map((x) => x.tree.totalMb)) - median(runs.without.map((x) => x.tree.totalMb));
  return {
    title: 'demo apps: npm start\'s whole embedded stack (shared mode, kube-sim home lab) with the demo apps running as processes vs simulated (GANGLION_DEMO_APPS=false)',
    rows: [...row('with'), ...row('without'), { name: 'what running the demo apps adds to the whole stack\'s RSS', value: `${extra.toFixed(0)} MB` }],
    notes: [
      `${ROUNDS} starts of each, alternated; start → serving is spawn to the "gateway on" line, which npm start prints once kube-sim's pods have started (its settle, up to 15 s) and every function is loaded`,
      'RSS from /proc: the gateway process (which holds kube-sim and, in shared mode, every function) plus every process below it — with the demo apps those are one node process per demo container (placemyparents ×3 and the other served home-lab apps)',
    ],
  };
}
