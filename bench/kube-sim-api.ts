/**
 * Bench: kube-sim's API server listing generated 1,000- and 10,000-pod clusters (JSON and kubectl's Table),
 * how the time grows from 1k to 10k, and `kubectl get pods -A -o json` on the same kube-sim for scale.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, generateCluster } from '@ganglion/kube-sim';
import type { BenchSection } from './bench-section.js';

const ROUNDS = 3;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function timedGet(url: string, accept = 'application/json'): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http.get(url, { headers: { Accept: accept } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - started, bytes }) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

function kubectlJson(kubeconfig: string, home: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'json'], { env: { ...process.env, HOME: home }, maxBuffer: 1 << 30 }, (err) => {
      if (err) reject(err);
      else resolve(performance.now() - started);
    });
  });
}

interface Sample { pods: number; jsonMs: number; tableMs: number; mb: number; kubectlMs: number }

async function measure(pods: number): Promise<Sample> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-bench-ks-'));
  const sim = await startKubeSim({ scenario: generateCluster({ pods }), home, controllers: false });
  try {
    const url = `${sim.url}/api/v1/pods`;
    const warm = await timedGet(url);
    await timedGet(url, TABLE);
    const json: number[] = [];
    const table: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      json.push((await timedGet(url)).ms);
      table.push((await timedGet(url, TABLE)).ms);
    }
    await kubectlJson(sim.kubeconfigPath, home);
    const kubectlMs = await kubectlJson(sim.kubeconfigPath, home);
    return { pods, jsonMs: median(json), tableMs: median(table), mb: warm.bytes / 1e6, kubectlMs };
  } finally {
    await sim.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchSection> {
  const small = await measure(1000);
  const large = await measure(10_000);
  const growth = large.jsonMs / small.jsonMs;
  const rows = [small, large].flatMap((s) => [
    { name: `GET /api/v1/pods, ${s.pods} pods (${s.mb.toFixed(1)} MB JSON, median)`, value: Math.round(s.jsonMs), unit: 'ms', ...(s.pods === 10_000 ? { goal: '≤ 1000 ms', ok: s.jsonMs <= 1000 } : {}) },
    { name: `same as kubectl's Table, ${s.pods} pods (median)`, value: Math.round(s.tableMs), unit: 'ms' },
    { name: `kubectl get pods -A -o json, ${s.pods} pods`, value: Math.round(s.kubectlMs), unit: 'ms' },
    { name: `server share of kubectl's time, ${s.pods} pods`, value: Number((s.jsonMs / s.kubectlMs).toFixed(2)), unit: '×' },
  ]);
  rows.push({ name: 'growth 1k → 10k pods (JSON list)', value: Number(growth.toFixed(1)), unit: '×', goal: '≤ 12× (linear)', ok: growth <= 12 });
  return {
    title: 'kube-sim API server: listing generated 1,000- and 10,000-pod clusters',
    rows,
    notes: [
      `${ROUNDS} rounds after one warm-up; the list body is built from per-object cached JSON, so warm lists only join strings.`,
      'kubectl pages by 500 (--chunk-size default), so its figure includes 2 / 20 round trips and its own JSON printing.',
    ],
  };
}
