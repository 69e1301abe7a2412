/**
 * Bench: one function called directly vs through the gateway (process and shared mode), with keep-alive and
 * autocannon: p50/p99 latency and requests/s as ratios; RSS per function and of the whole stack in each mode.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtureStack } from '../gateway/testing/fixture-stack.js';
import { spawnGateway, type SpawnedGateway } from '../gateway/testing/spawn-gateway.js';
import { parseStack } from '../stack/stack-file.js';
import type { BenchRow, BenchSection } from './bench-section.js';
import { runLoad, type LoadResult } from './http-load.js';
import { childPids, rssMb } from './process-rss.js';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = 1;
const ROUNDS = 5;

async function startDirect(home: string): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, [path.join(dist, 'host', 'main.js'), path.join(dist, 'testing', 'fixtures', 'functions', 'echo')], {
    env: { ...process.env, PORT: '0', GANGLION_HOME: home, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => { out += d; const m = /listening (\d+)/.exec(out); if (m) resolve(Number(m[1])); });
    child.once('exit', (code) => reject(new Error(`echo exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid as number, stop: () => child.kill('SIGTERM') };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * Runs the targets in short interleaved rounds: on a machine shared with other work, back-to-back runs would
 * compare one target's quiet minute with another's busy one. Ratios are taken per round, then the median.
 */
async function measureInterleaved(targets: Record<string, string>): Promise<Record<string, LoadResult[]>> {
  for (const url of Object.values(targets)) await runLoad(url, { duration: 1 }); // warm-up: JIT, keep-alive sockets
  const runs: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url] of Object.entries(targets)) runs[name]?.push(await runLoad(url, { duration: SECONDS }));
  }
  return runs;
}

const summary = (rs: LoadResult[]): LoadResult => ({
  p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), rps: median(rs.map((r) => r.rps)),
  requests: rs.reduce((a, r) => a + r.requests, 0), non2xx: rs.reduce((a, r) => a + r.non2xx, 0), errors: rs.reduce((a, r) => a + r.errors, 0),
});

function writeEmptyStack(dir: string): string {
  const file = path.join(dir, 'stack.yml');
  writeFileSync(file, 'version: 1.0\nprovider:\n  name: openfaas\nfunctions: {}\n');
  return file;
}

const sum = (xs: Array<number | undefined>) => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

function stackRss(gw: SpawnedGateway): { total: number; children: number[] } {
  const pid = gw.child.pid as number;
  const children = childPids(pid).map((c) => rssMb(c) ?? 0);
  return { total: (rssMb(pid) ?? 0) + sum(children), children };
}

/** Idle RSS and start-up time of the repository's own stack.yml in a mode, when its functions are built (bounded in time). */
async function realStack(mode: 'process' | 'shared', budgetMs: number): Promise<{ total: number; count: number; startMs: number } | { count: number; timedOut: true } | undefined> {
  const stackFile = path.resolve(dist, '..', 'stack.yml');
  const stack = parseStack(readFileSync(stackFile, 'utf8'), {});
  const names = Object.entries(stack.functions).filter(([, fn]) => existsSync(path.join(dist, fn.handler, 'handler.js'))).map(([n]) => n);
  if (names.length === 0 || names.length !== Object.keys(stack.functions).length) return undefined;
  const home = mkdtempSync(os.tmpdir() + '/g-bench-');
  let gw: SpawnedGateway;
  try {
    gw = await spawnGateway({ home, stackFile, env: { GANGLION_GATEWAY_MODE: mode, GANGLION_GATEWAY_PASSWORD: 'bench' }, timeoutMs: budgetMs });
  } catch {
    return { count: names.length, timedOut: true }; // a machine too busy to start it within the bench's budget
  }
  try {
    await fetch(`${gw.url}/healthz`);
    return { total: stackRss(gw).total, count: names.length, startMs: gw.startMs };
  } finally {
    await gw.stop();
  }
}

function ratioRows(label: string, direct: LoadResult[], via: LoadResult[]): BenchRow[] {
  const paired = (f: (d: LoadResult, v: LoadResult) => number) => median(via.map((v, i) => f(direct[i] as LoadResult, v)));
  // Latencies are float ms from every response, so no floor is needed beyond guarding a zero.
  const lat = paired((d, v) => v.p50 / Math.max(d.p50, 0.001));
  const lat99 = paired((d, v) => v.p99 / Math.max(d.p99, 0.001));
  const thr = paired((d, v) => v.rps / d.rps);
  const s = summary(via);
  return [
    { name: `${label}: p50 / p99 latency`, value: `${s.p50.toFixed(2)} / ${s.p99.toFixed(2)}`, unit: 'ms' },
    { name: `${label}: requests/s`, value: Math.round(s.rps) },
    { name: `${label}: p50 latency vs direct`, value: lat, unit: '×', goal: '≤ 1.25×', ok: lat <= 1.25 },
    { name: `${label}: p99 latency vs direct`, value: lat99, unit: '×', goal: '≤ 1.25×', ok: lat99 <= 1.25 },
    { name: `${label}: throughput vs direct`, value: thr, unit: '×', goal: '≥ 0.8×', ok: thr >= 0.8 },
  ];
}

export async function run(): Promise<BenchSection> {
  const home = mkdtempSync(os.tmpdir() + '/g-bench-');
  const stackFile = writeFixtureStack(home);
  const env = { GANGLION_GATEWAY_PASSWORD: 'bench', COUNTER_DIR: path.join(home, 'counter') };
  const rows: BenchRow[] = [];

  const fn = await startDirect(home);
  const proc = await spawnGateway({ home, stackFile, env: { ...env, GANGLION_GATEWAY_MODE: 'process' } });
  const shared = await spawnGateway({ home, stackFile, env: { ...env, GANGLION_GATEWAY_MODE: 'shared' } });
  const results = await measureInterleaved({ direct: fn.url, process: `${proc.url}/function/echo`, shared: `${shared.url}/function/echo` });
  const direct = summary(results.direct ?? []);
  const directRss = rssMb(fn.pid);
  const procRss = stackRss(proc);
  const sharedRss = rssMb(shared.child.pid as number) ?? 0;
  fn.stop();
  await proc.stop();
  await shared.stop();
  rows.push(
    { name: 'direct: p50 / p99 latency', value: `${direct.p50.toFixed(2)} / ${direct.p99.toFixed(2)}`, unit: 'ms' },
    { name: 'direct: requests/s', value: Math.round(direct.rps) },
    ...ratioRows('process mode', results.direct ?? [], results.process ?? []),
    ...ratioRows('shared mode', results.direct ?? [], results.shared ?? []),
  );

  const emptyHome = mkdtempSync(os.tmpdir() + '/g-bench-');
  const bare = await spawnGateway({ home: emptyHome, stackFile: writeEmptyStack(emptyHome), env: { ...env, GANGLION_GATEWAY_MODE: 'process' } });
  const gatewayAlone = rssMb(bare.child.pid as number) ?? 0;
  await bare.stop();

  const n = procRss.children.length;
  const perFn = Math.max(...procRss.children, directRss ?? 0);
  rows.push(
    { name: 'RSS of one function process (max, after load)', value: perFn, unit: 'MB', goal: '≤ 60 MB', ok: perFn <= 60 },
    { name: `RSS whole stack, process mode (${n} functions)`, value: procRss.total, unit: 'MB' },
    { name: `RSS whole stack, shared mode (${n} functions)`, value: sharedRss, unit: 'MB' },
    { name: 'RSS per function in shared mode (marginal)', value: n ? Math.max(0, (sharedRss - gatewayAlone) / n) : 0, unit: 'MB', goal: '≤ 60 MB', ok: n ? (sharedRss - gatewayAlone) / n <= 60 : true },
  );
  for (const mode of ['shared', 'process'] as const) {
    const real = await realStack(mode, 10_000);
    if (!real) continue;
    if ('timedOut' in real) {
      rows.push({ name: `repository stack.yml, ${mode} mode: start → serving`, value: 'over 10 s', goal: `< ${real.count} s`, ok: false });
      continue;
    }
    rows.push(
      { name: `repository stack.yml, ${mode} mode: RSS (${real.count} functions, idle)`, value: real.total, unit: 'MB' },
      { name: `repository stack.yml, ${mode} mode: start → serving`, value: real.startMs, unit: 'ms', goal: `< ${real.count} s`, ok: real.startMs < real.count * 1000 },
    );
  }
  const failures = Object.values(results).flat().reduce((a, r) => a + r.non2xx + r.errors, 0);
  return {
    title: 'gateway: echo called directly vs through the gateway (autocannon, 10 keep-alive connections)',
    rows,
    notes: [
      `${ROUNDS} interleaved ${SECONDS} s rounds per target after a 1 s warm-up; figures are medians, ratios are medians of per-round ratios; load generator, gateway and function share ${os.cpus().length} cores (load average ${os.loadavg()[0]?.toFixed(1)} at the end)`,
      `gateway process alone (process mode, functions excluded): ${gatewayAlone.toFixed(1)} MB`,
      failures ? `${failures} non-2xx answers or errors during the runs` : 'every request answered 2xx',
    ],
  };
}
