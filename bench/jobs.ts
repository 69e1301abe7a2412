/**
 * Worker Jobs: one run-tests Job on kube-sim (create → pod → real worker → result line read back) against running the
 * same worker directly, as a ratio, with the peak memory of the worker's process tree either way.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeSim, DEMO_TIMING } from '@ganglion/kube-sim';
import { createKubeAccess } from '../cluster/kube-access.js';
import { runWorkerJob } from '../cluster/job-runner.js';
import { createDemoRepo } from '../workers/demo-repo.js';
import { findResultLine } from '../events/worker-result.js';
import type { BenchSection } from './bench-section.js';
import { childPids, rssMb } from './process-rss.js';

const ROUNDS = 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Samples the summed RSS of `root`'s descendants every 25 ms; stop() gives the peak in MB. */
function sampleTree(rootPid: number): { stop(): number } {
  let peak = 0;
  const tree = (pid: number): number[] => childPids(pid).flatMap((c) => [c, ...tree(c)]);
  const timer = setInterval(() => {
    const total = tree(rootPid).reduce((sum, pid) => sum + (rssMb(pid) ?? 0), 0);
    peak = Math.max(peak, total);
  }, 25);
  return { stop: () => { clearInterval(timer); return peak; } };
}

async function direct(repo: string): Promise<{ ms: number; peakMb: number }> {
  const started = Date.now();
  const sampler = sampleTree(process.pid);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'workers', 'main.js'), 'run-tests', '--repo', repo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
  const peakMb = sampler.stop();
  if (findResultLine(out)?.type !== 'dev.ganglion.step.completed') throw new Error(`the direct worker run gave no completed result: ${out.slice(-300)}`);
  return { ms: Date.now() - started, peakMb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function run(): Promise<BenchSection> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-bench-jobs-'));
  const repo = createDemoRepo(path.join(home, 'placemyparents'));
  const sim = await startKubeSim({
    home, port: 0, timing: DEMO_TIMING,
    scenario: { name: 'bench-jobs', objects: [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'pi-1' }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    ] },
  });
  try {
    const clients = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
    const directRuns: { ms: number; peakMb: number }[] = [];
    const jobRuns: { ms: number; peakMb: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      directRuns.push(await direct(repo));
      const sampler = sampleTree(process.pid);
      const out = await runWorkerJob(clients, { role: 'run-tests', args: ['--repo', repo], namespace: 'default', image: 'ghcr.io/ganglion/ganglion-worker:0.1.0', deadlineSeconds: 300, ttlSeconds: 5 }, { pollMs: 100 });
      const peakMb = sampler.stop();
      if (out.result?.type !== 'dev.ganglion.step.completed') throw new Error(`the Job gave no completed result (${out.reason}): ${out.logTail}`);
      jobRuns.push({ ms: out.durationMs, peakMb });
    }
    const d = median(directRuns.map((r) => r.ms));
    const j = median(jobRuns.map((r) => r.ms));
    const ratio = j / d;
    return {
      title: `Worker Jobs: run-tests on the demo repository, median of ${ROUNDS}`,
      rows: [
        { name: 'worker run directly (spawn → result line)', value: d, unit: 'ms' },
        { name: 'worker as a Job on kube-sim (create → Complete → log read)', value: j, unit: 'ms' },
        { name: 'Job / direct', value: ratio, unit: '×', goal: '≤ 2×', ok: ratio <= 2 },
        { name: 'Job overhead', value: j - d, unit: 'ms', goal: '≤ 2000 ms', ok: j - d <= 2000 },
        { name: 'peak RSS of the worker tree, direct', value: Math.max(...directRuns.map((r) => r.peakMb)), unit: 'MB' },
        { name: 'peak RSS of the worker tree, as a Job', value: Math.max(...jobRuns.map((r) => r.peakMb)), unit: 'MB', goal: '≤ 1024 MB (the Job\'s memory limit)', ok: Math.max(...jobRuns.map((r) => r.peakMb)) <= 1024 },
        { name: 'bench process RSS (kube-sim + client)', value: rssMb(process.pid) ?? 0, unit: 'MB' },
      ],
      notes: [
        'kube-sim at demo timing (image pull 300 ms + container start 500 ms, as npm start runs it); the Job is polled every 100 ms',
        'the worker tree = worker + sh + node --test + its test processes, RSS summed over /proc samples every 25 ms',
        'direct and Job runs alternate; on a shared, loaded machine a single run varies by seconds, so compare the medians, not one pair',
      ],
    };
  } finally {
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
