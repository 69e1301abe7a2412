/** A flood of async submissions far past the queue's caps: the excess gets 429 and the gateway's RSS stays bounded, as bodies wait on disk. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFixtureStack } from './testing/fixture-stack.js';
import { spawnGateway } from './testing/spawn-gateway.js';

const SUBMISSIONS = 20_000;
const BODY_BYTES = 64 * 1024;
const MAX_BYTES = 64 * 1024 * 1024;
const MiB = 1024 * 1024;

/** Resident set size of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

test(`${SUBMISSIONS} submissions of 64 KB at a cap of 2,000 calls / 64 MiB: the excess gets 429 with Retry-After and RSS stays far below the ${SUBMISSIONS * BODY_BYTES / MiB} MiB sent`, async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const gw = await spawnGateway({
    home, stackFile: writeFixtureStack(home),
    env: { COUNTER_DIR: path.join(home, 'counter'), GANGLION_ASYNC_CONCURRENCY: '1', GANGLION_ASYNC_MAX_PENDING: '2000', GANGLION_ASYNC_MAX_BYTES: String(MAX_BYTES), GANGLION_MAX_BODY_BYTES: String(1 * MiB),
      // A heap smaller than the 64 MiB accepted (85 MiB as the journal's base64): a queue holding bodies on the heap dies here.
      NODE_OPTIONS: '--max-old-space-size=64' },
  });
  const pid = gw.child.pid as number;
  const { port } = new URL(gw.url);
  const before = rssOf(pid);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rssOf(pid)); }, 50);
  // Each body names its call; the slow counter keeps nearly everything queued while the flood lasts.
  const pad = 'p'.repeat(BODY_BYTES - 100);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const submit = (n: number) => new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const body = JSON.stringify({ n, delayMs: 2000, pad });
    const req = http.request({ host: '127.0.0.1', port: Number(port), method: 'POST', path: '/async-function/counter', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
  const counts = new Map<number, number>();
  try {
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < SUBMISSIONS) {
        const r = await submit(next++);
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        if (r.status === 429) assert.match(r.retryAfter ?? '', /^\d+$/, 'a refusal says when to retry');
      }
    }));
    peak = Math.max(peak, rssOf(pid));
  } finally {
    clearInterval(sampler);
    agent.destroy();
    await gw.stop();
    rmSync(home, { recursive: true, force: true });
  }
  const accepted = counts.get(202) ?? 0;
  assert.equal([...counts.keys()].sort(), [202, 429], `every answer is 202 or 429: ${JSON.stringify([...counts])}`);
  assert.ok(accepted <= MAX_BYTES / BODY_BYTES + 2, `the byte cap holds: ${accepted} accepted`);
  assert.is(accepted + (counts.get(429) ?? 0), SUBMISSIONS);
  // Holding every body sent would take 1.25 GiB; what grows is garbage from reading 1.25 GiB of requests, collected as it goes.
  const grown = (peak - before) / MiB;
  assert.ok(grown < 160, `RSS grew by ${grown.toFixed(1)} MiB during the flood (from ${(before / MiB).toFixed(0)} MiB to a peak of ${(peak / MiB).toFixed(0)} MiB)`);
  console.log(`accepted ${accepted}, refused ${counts.get(429)}; RSS ${(before / MiB).toFixed(0)} → peak ${(peak / MiB).toFixed(0)} MiB`);
});

test.run();
