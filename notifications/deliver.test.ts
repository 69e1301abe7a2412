import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { loadConfig } from '../kernel/config.js';
import { startSlackReceiver } from '../monitors/testing/slack-receiver.js';
import { deliver } from './deliver.js';
import { slackPayload } from './message.js';
import { slackPayloadProblem } from '../monitors/testing/slack-receiver.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const secrets = path.join(home, 'secrets');
fs.mkdirSync(secrets);
const slack = await startSlackReceiver();
const waits: number[] = [];
const delayFn = async (ms: number) => { waits.push(ms); };
const msg = { kind: 'alert' as const, title: 'Alert: deployment/api-server in apps — pods restarting more than 3 times', lines: ['pod api-server-x restarted 4 times (more than 3)'], context: 'monitor pod-restarts-over-3' };

// A generic webhook receiver that records bodies and headers and can fail on demand.
const hooks: Array<{ body: string; headers: http.IncomingHttpHeaders }> = [];
let hookStatus = 200;
const hookServer = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => { hooks.push({ body, headers: req.headers }); res.writeHead(hookStatus); res.end(); });
});
await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;

test('the Slack payload has text and valid blocks, and Slack answers ok', async () => {
  const r = await deliver('slack', msg, { config: loadConfig({ SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: secrets }), delayFn });
  assert.equal({ ok: r.ok, attempts: r.attempts }, { ok: true, attempts: 1 });
  const p = slack.posts.at(-1)!;
  assert.is(p.contentType, 'application/json');
  assert.match(p.payload.text ?? '', /^:rotating_light: Alert: deployment\/api-server/);
  assert.equal(p.payload.blocks?.map((b) => b.type), ['header', 'section', 'context']);
});

test('long messages stay inside Slack\'s limits (header 150, section 3000, 50 blocks)', () => {
  const big = slackPayload({ kind: 'report', title: 'x'.repeat(400), lines: Array.from({ length: 400 }, (_, i) => `line ${i} ${'y'.repeat(500)}`) });
  assert.is(slackPayloadProblem(big), undefined);
  assert.ok(big.blocks.length <= 50);
});

test('5xx and 429 are retried with doubling back-off; a 400 is not retried', async () => {
  waits.length = 0;
  slack.failNext(2, 503);
  const r = await deliver('slack', msg, { config: loadConfig({ SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: secrets, GANGLION_NOTIFY_RETRY_MS: '100' }), delayFn });
  assert.equal({ ok: r.ok, attempts: r.attempts }, { ok: true, attempts: 3 });
  assert.equal(waits, [100, 200]);
  slack.failNext(1, 400);
  const bad = await deliver('slack', msg, { config: loadConfig({ SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: secrets }), delayFn });
  assert.equal({ ok: bad.ok, attempts: bad.attempts, status: bad.status }, { ok: false, attempts: 1, status: 400 });
  assert.match(bad.error ?? '', /slack answered 400 server_error \(POST http:\/\/127\.0\.0\.1:\d+\/services\/…\)/);
  assert.not.match(bad.error ?? '', /XXXX/, 'the secret part of the webhook URL is not shown');
});

test('an unreachable webhook gives up after the configured attempts and says why', async () => {
  const r = await deliver('webhook', msg, { config: loadConfig({ GANGLION_ALERT_WEBHOOK_URL: 'http://127.0.0.1:1/x', GANGLION_SECRETS_DIR: secrets, GANGLION_NOTIFY_ATTEMPTS: '3' }), delayFn });
  assert.equal({ ok: r.ok, attempts: r.attempts }, { ok: false, attempts: 3 });
  assert.match(r.error ?? '', /webhook unreachable/);
});

test('the OpenFaaS secret file wins over the environment; the generic webhook body is signed with its key', async () => {
  fs.writeFileSync(path.join(secrets, 'alert-webhook-url'), `${hookUrl}\n`);
  fs.writeFileSync(path.join(secrets, 'alert-webhook-secret'), 'k3y\n');
  const r = await deliver('webhook', msg, { config: loadConfig({ GANGLION_ALERT_WEBHOOK_URL: 'http://127.0.0.1:1/env', GANGLION_SECRETS_DIR: secrets }), delayFn, now: () => new Date('2026-11-25T12:00:00Z') });
  assert.ok(r.ok, r.error);
  const hook = hooks.at(-1)!;
  const body = JSON.parse(hook.body) as Record<string, unknown>;
  assert.equal({ type: body.type, kind: body.kind, title: body.title, time: body.time }, { type: 'dev.ganglion.alert', kind: 'alert', title: msg.title, time: '2026-11-25T12:00:00.000Z' });
  assert.is(hook.headers['x-ganglion-signature-256'], `sha256=${createHmac('sha256', 'k3y').update(hook.body).digest('hex')}`);
});

test('a channel with no URL is reported with how to set it, without sending', async () => {
  const r = await deliver('slack', msg, { config: loadConfig({ GANGLION_SECRETS_DIR: path.join(home, 'none') }), delayFn });
  assert.is(r.ok, false);
  assert.match(r.error ?? '', /no slack webhook is configured: set the OpenFaaS secret slack-webhook-url .* or SLACK_WEBHOOK_URL/);
});

test.after(async () => {
  await slack.close();
  await new Promise<void>((r) => { hookServer.close(() => r()); hookServer.closeAllConnections(); });
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
