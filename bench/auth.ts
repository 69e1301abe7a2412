/**
 * Bench: what authentication adds to a call through the gateway. The same echo handler twice in one shared-mode
 * gateway — once public, once behind the viewer role with a bearer token checked against ganglion-api-tokens —
 * loaded together, each connection alternating between them, so both meet the machine at the same moments; the goal
 * is ≤ 5 % on p50.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFixtureStack } from '../gateway/testing/fixture-stack.js';
import { spawnGateway } from '../gateway/testing/spawn-gateway.js';
import type { BenchSection } from './bench-section.js';
import { runPairedLoad, type LoadResult } from './http-load.js';

const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function run(): Promise<BenchSection> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-bench-auth-'));
  const stackFile = writeFixtureStack(home, `  echo-viewer:
    lang: ganglion-ts
    handler: ./testing/fixtures/functions/echo-viewer
    image: ghcr.io/ganglion/fixture-echo:test
`);
  const gw = await spawnGateway({ home, stackFile, env: { GANGLION_GATEWAY_MODE: 'shared' } });
  try {
    const token = readFileSync(path.join(home, 'admin-token'), 'utf8').trim();
    const open = { path: '/function/echo', headers: { 'content-type': 'text/plain' } };
    const authed = { path: '/function/echo-viewer', headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` } };
    await runPairedLoad(gw.url, open, authed, { duration: 1 }); // warm-up
    const a: LoadResult[] = [];
    const b: LoadResult[] = [];
    // which goes first on each connection flips every round
    for (let i = 0; i < ROUNDS; i++) {
      const [r1, r2] = i % 2 ? await runPairedLoad(gw.url, authed, open) : await runPairedLoad(gw.url, open, authed);
      a.push(i % 2 ? r2 : r1);
      b.push(i % 2 ? r1 : r2);
    }
    const refused = b.reduce((n, r) => n + r.non2xx, 0) + a.reduce((n, r) => n + r.non2xx, 0);
    const ratio = median(b.map((r, i) => r.p50 / (a[i]?.p50 ?? NaN)));
    return {
      title: 'authentication: the same echo through the gateway, public vs behind a viewer token (autocannon, 10 keep-alive connections)',
      rows: [
        { name: 'public: p50 / p99 latency', value: `${median(a.map((r) => r.p50)).toFixed(2)} / ${median(a.map((r) => r.p99)).toFixed(2)} ms` },
        { name: 'with a bearer token checked: p50 / p99 latency', value: `${median(b.map((r) => r.p50)).toFixed(2)} / ${median(b.map((r) => r.p99)).toFixed(2)} ms` },
        { name: 'authenticated vs public: p50', value: ratio, unit: '×', goal: '≤ 1.05×', ok: ratio <= 1.05 },
        { name: 'authenticated vs public: throughput', value: median(b.map((r, i) => r.rps / (a[i]?.rps ?? NaN))), unit: '×' },
        { name: 'non-2xx answers (should be 0)', value: refused, goal: '= 0', ok: refused === 0 },
      ],
      notes: [`${ROUNDS} rounds of 2 s after a 1 s warm-up, each connection alternating public and authenticated calls (which goes first flipped each round); ratios are medians of per-round ratios; the token is the embedded stack's admin token, looked up by its sha256 in ganglion-api-tokens (re-read when the file changes)`],
    };
  } finally {
    await gw.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
