/** The built-in cron through a real gateway: what cron-connector sends, the /system/schedules API, restarts. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFixtureStack } from './testing/fixture-stack.js';
import { startGateway } from './index.js';

const CRON_ENTRY = `  ticker:
    lang: ganglion-ts
    handler: ./testing/fixtures/functions/counter
    image: ghcr.io/ganglion/fixture-counter:test
    annotations:
      topic: cron-function
      schedule: "*/5 * * * *"
`;

test('a stack.yml cron-function fires POST /function/NAME.openfaas-fn with an empty body and the cron-connector headers, once per minute across a restart', async () => {
  const home = mkdtempSync(os.tmpdir() + '/g-');
  const stackFile = writeFixtureStack(home, CRON_ENTRY);
  let clock = new Date('2026-03-02T12:05:07Z');
  const opts = { stackFile, home, port: 0, cron: false, now: () => clock, env: { COUNTER_DIR: path.join(home, 'counter'), GANGLION_GATEWAY_PASSWORD: 'pw', LOG_LEVEL: 'silent' } };
  const gw = await startGateway(opts);
  const auth = { authorization: 'Basic ' + Buffer.from('admin:pw').toString('base64') };
  try {
    assert.equal(await gw.tickSchedules(), ['stack:ticker']);
    const attempts = readFileSync(path.join(home, 'counter', 'attempts'), 'utf8').trim().split('\n');
    assert.is(attempts.length, 1);
    assert.match(attempts[0] ?? '', / - cron-connector cron-function POST$/);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    assert.match(metrics, /gateway_function_invocation_total\{function_name="ticker\.openfaas-fn",code="200"\} 1/);

    const put = await fetch(`${gw.url}/system/schedules/health-check`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ function: 'counter', schedule: '*/10 * * * *', body: { n: 7 } }) });
    assert.is(put.status, 201);
    assert.is((await fetch(`${gw.url}/system/schedules/x`, { method: 'PUT', body: '{}' })).status, 401);
    const bad = await fetch(`${gw.url}/system/schedules/x`, { method: 'PUT', headers: auth, body: JSON.stringify({ function: 'counter', schedule: 'sometimes' }) });
    assert.is(bad.status, 400);
    assert.match(await bad.text(), /five fields/);
    assert.is((await fetch(`${gw.url}/system/schedules/x`, { method: 'PUT', headers: auth, body: JSON.stringify({ function: 'ghost', schedule: '@daily' }) })).status, 400);
    const list = (await (await fetch(`${gw.url}/system/schedules`, { headers: auth })).json()) as Array<{ id: string; source: string; lastFired?: string }>;
    assert.equal(list.map((s) => [s.id, s.source]).sort(), [['health-check', 'api'], ['stack:ticker', 'stack']]);
    assert.is(list.find((s) => s.id === 'stack:ticker')?.lastFired, '2026-03-02T12:05:00.000Z');
  } finally {
    await gw.stop();
  }

  // Restarted within the same minute: nothing fires again; the run-time schedule survived the restart.
  clock = new Date('2026-03-02T12:05:40Z');
  const again = await startGateway(opts);
  try {
    assert.equal(await again.tickSchedules(), []);
    clock = new Date('2026-03-02T12:10:00Z');
    assert.equal((await again.tickSchedules()).sort(), ['health-check', 'stack:ticker']);
    const lines = readFileSync(path.join(home, 'counter', 'attempts'), 'utf8').trim().split('\n');
    assert.is(lines.length, 3);
    assert.ok(lines.some((l) => / 7 cron-connector cron-function POST$/.test(l)), 'the run-time schedule sends its body');
    assert.is((await fetch(`${again.url}/system/schedules/health-check`, { method: 'DELETE', headers: auth })).status, 204);
    assert.is((await fetch(`${again.url}/system/schedules/stack:ticker`, { method: 'DELETE', headers: auth })).status, 409);
  } finally {
    await again.stop();
  }
});

test('with GANGLION_CRON_ASYNC a firing goes through the durable queue and is delivered with the cron-connector headers', async () => {
  const home = mkdtempSync(os.tmpdir() + '/g-');
  const stackFile = writeFixtureStack(home, CRON_ENTRY);
  const counterDir = path.join(home, 'counter');
  const gw = await startGateway({ stackFile, home, port: 0, cron: false, now: () => new Date('2026-03-02T12:05:07Z'), env: { COUNTER_DIR: counterDir, LOG_LEVEL: 'silent', GANGLION_CRON_ASYNC: '1' } });
  try {
    assert.equal(await gw.tickSchedules(), ['stack:ticker']);
    let attempts: string[] = [];
    for (let i = 0; i < 300 && attempts.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try { attempts = readFileSync(path.join(counterDir, 'attempts'), 'utf8').trim().split('\n'); } catch { attempts = []; }
    }
    assert.is(attempts.length, 1);
    assert.match(attempts[0] ?? '', / - cron-connector cron-function POST$/);
  } finally {
    await gw.stop();
  }
});

test.run();
