/** automate against a gateway without the schedules API (the real OpenFaaS gateway): the monitor falls back to the monitor function's stack.yml cron. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import type { FunctionContext } from '../../function-kit/function-module.js';
import { readMonitor } from '../../monitors/monitor-store.js';
import { input } from './schema.js';
import { handle } from './handler.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const seen: string[] = [];
// What faas-netes answers for a route it does not have.
const server = http.createServer((req, res) => { seen.push(`${req.method} ${req.url}`); res.writeHead(404, { 'content-type': 'text/plain' }); res.end('404 page not found\n'); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function ctx(): FunctionContext {
  return {
    log: createLogger({ name: 'automate', level: 'silent' }),
    config: loadConfig({ GANGLION_HOME: home, OPENFAAS_URL: gatewayUrl, SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', GANGLION_SECRETS_DIR: path.join(home, 'none'), GANGLION_GATEWAY_PASSWORD: 'pw' }),
    kube: createKubeAccess({}),
    now: () => new Date('2026-11-25T12:00:00Z'),
    signal: new AbortController().signal,
    event: { id: '1', source: '/test', type: 'dev.ganglion.step.requested', extensions: {} },
    request: { method: 'POST', path: '/', query: new URLSearchParams(), headers: {} },
  };
}

test('with no /system/schedules the monitor is kept for the stack.yml cron, and the answer says so', async () => {
  const out = await handle(input.parse({ what: 'monitor', rule: 'pod-health' }), ctx());
  assert.equal(seen, ['GET /system/schedules/monitor-pod-health', 'PUT /system/schedules/monitor-pod-health']);
  assert.is(out.summary, "Done. Now checking pod health every 5 minutes (this gateway has no schedules API: the monitor function's stack.yml cron runs it). Slack alerts enabled.");
  assert.is(readMonitor(home, 'pod-health')?.monitor.scheduledBy, 'stack-cron');
});

test('the dry run changes nothing and lists each setting before → after', async () => {
  const out = await handle(input.parse({ what: 'monitor', rule: 'restarts', threshold: 5, namespace: 'apps', dryRun: true }), ctx());
  assert.is(out.summary, 'would create monitor pod-restarts-over-5-apps: pods restarting more than 5 times in namespace apps, checked every 5 minutes, Slack alerts');
  assert.equal(out.data.changes.map((c) => [c.object, c.field, c.before, c.after]), [
    ['monitor/pod-restarts-over-5-apps', 'rule', null, 'pods restarting more than 5 times in namespace apps'],
    ['schedule/monitor-pod-restarts-over-5-apps', 'schedule', null, '*/5 * * * *'],
    ['monitor/pod-restarts-over-5-apps', 'notify', null, 'slack'],
  ]);
  assert.is(readMonitor(home, 'pod-restarts-over-5-apps'), undefined);
});

test('a schedule that is not cron is refused before anything is written', async () => {
  try {
    await handle(input.parse({ what: 'monitor', rule: 'pod-health', schedule: 'every tuesday' }), ctx());
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match((err as Error).message, /schedule "every tuesday" must have five fields/);
  }
});

test.after(async () => {
  await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
