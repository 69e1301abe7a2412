/**
 * Bench: async invocations per second through the durable queue (202s acknowledged after fdatasync, and
 * end to end until the queue drains), the journal against one-file-per-item, and recovery after kill -9
 * with 10,000 queued items.
 */
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFixtureStack } from '../gateway/testing/fixture-stack.js';
import { spawnGateway, type SpawnedGateway } from '../gateway/testing/spawn-gateway.js';
import type { BenchSection } from './bench-section.js';
import { runLoad } from './http-load.js';

const AUTH = { authorization: 'Basic ' + Buffer.from('admin:bench').toString('base64') };

async function queueStats(gw: SpawnedGateway): Promise<{ pending: number; inFlight: number; dead: number }> {
  return (await (await fetch(`${gw.url}/system/async/queue`, { headers: AUTH })).json()) as { pending: number; inFlight: number; dead: number };
}

async function drained(gw: SpawnedGateway, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const s = await queueStats(gw);
    if (s.pending + s.inFlight === 0) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** The alternative design: each item its own file, written, fsynced and renamed into place. */
function filePerItemRate(dir: string, n: number): number {
  mkdirSync(dir, { recursive: true });
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const tmp = path.join(dir, `${i}.tmp`);
    writeFileSync(tmp, JSON.stringify({ id: i, fn: 'echo', body: 'aGVsbG8=' }));
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path.join(dir, `${i}.json`));
  }
  const dfd = openSync(dir, 'r');
  fsyncSync(dfd);
  closeSync(dfd);
  return n / (Number(process.hrtime.bigint() - started) / 1e9);
}

export async function run(): Promise<BenchSection> {
  const home = mkdtempSync(os.tmpdir() + '/g-bench-');
  const stackFile = writeFixtureStack(home);
  const env = { GANGLION_GATEWAY_PASSWORD: 'bench', COUNTER_DIR: path.join(home, 'counter') };
  const notes: string[] = [];

  const gw = await spawnGateway({ home, stackFile, env });
  const n = 3000;
  const started = Date.now();
  const submit = await runLoad(`${gw.url}/async-function/echo`, { amount: n, connections: 20 });
  const fullyDone = await drained(gw, 30_000);
  const endToEnd = n / ((Date.now() - started) / 1000);
  await gw.stop();
  if (!fullyDone) notes.push(`the queue had not drained ${n} echo calls after 30 s`);

  const perFile = filePerItemRate(path.join(home, 'file-per-item'), 300);

  // Recovery: a gateway whose single worker is busy, 10,000 items queued, then kill -9 and a restart.
  const recoveryHome = mkdtempSync(os.tmpdir() + '/g-bench-');
  const recoveryStack = writeFixtureStack(recoveryHome);
  const slowEnv = { ...env, COUNTER_DIR: path.join(recoveryHome, 'counter'), GANGLION_ASYNC_CONCURRENCY: '1' };
  const busy = await spawnGateway({ home: recoveryHome, stackFile: recoveryStack, env: slowEnv });
  const fill = await runLoad(`${busy.url}/async-function/counter`, { amount: 10_000, connections: 20, body: '{"delayMs":60000}', headers: { 'content-type': 'application/json' } });
  await busy.kill9();
  const journalMb = statSync(path.join(recoveryHome, 'queue', 'journal.jsonl')).size / 1024 / 1024;
  const again = await spawnGateway({ home: recoveryHome, stackFile: recoveryStack, env: slowEnv });
  const recovered = await queueStats(again);
  await again.kill9();

  return {
    title: 'async: durable queue under $GANGLION_HOME/queue (journal, group-committed fdatasync)',
    rows: [
      { name: `async submissions acknowledged (202 after fdatasync), ${n} calls`, value: Math.round(submit.rps), unit: 'calls/s' },
      { name: 'async submission p50 / p99 latency', value: `${submit.p50} / ${submit.p99}`, unit: 'ms' },
      { name: 'async end to end (submitted → executed, queue drained)', value: Math.round(endToEnd), unit: 'calls/s' },
      { name: 'alternative: one file per item (write, fsync, rename), sequential', value: Math.round(perFile), unit: 'items/s' },
      { name: 'items queued before kill -9', value: fill.requests - fill.non2xx },
      { name: 'journal size at kill -9', value: journalMb, unit: 'MB' },
      { name: 'start with an empty queue (baseline)', value: busy.startMs, unit: 'ms' },
      { name: 'recovery after kill -9 (start → serving, journal replayed)', value: again.startMs, unit: 'ms' },
      { name: 'items pending after recovery', value: recovered.pending + recovered.inFlight, goal: `= ${fill.requests - fill.non2xx}`, ok: recovered.pending + recovered.inFlight === fill.requests - fill.non2xx },
    ],
    notes: [
      ...notes,
      `${submit.non2xx + fill.non2xx} non-2xx submissions; concurrency 4 workers (1 for the recovery run); load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
    ],
  };
}
