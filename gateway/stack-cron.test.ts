/** The built-in cron through a real gateway: what cron-connector sends for stack.yml annotations, across restarts; no run-time schedules API. */
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

    // schedules set up at run time are CronJobs in the cluster (automate): the gateway has no schedules API
    assert.is((await fetch(`${gw.url}/system/schedules`, { headers: auth })).status, 404);
  } finally {
    await gw.stop();
  }

  // Restarted within the same minute: nothing fires again.
  clock = new Date('2026-03-02T12:05:40Z');
  const again = await startGateway(opts);
  try {
    assert.equal(await again.tickSchedules(), []);
    clock = new Date('2026-03-02T12:10:00Z');
    assert.equal(await again.tickSchedules(), ['stack:ticker']);
    const lines = readFileSync(path.join(home, 'counter', 'attempts'), 'utf8').trim().split('\n');
    assert.is(lines.length, 2);
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
