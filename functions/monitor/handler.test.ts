import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim } from '@ganglion/kube-sim';
import { createFunctionApp } from '../../host/function-app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { putMonitor } from '../../monitors/monitor-store.js';
import { readAlerts } from '../../monitors/alert-log.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startSlackReceiver, type SlackPost } from '../../monitors/testing/slack-receiver.js';
import * as monitorFn from './handler.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
// api-server crashes after 2 scenario seconds (50 ms here) and comes back after a short back-off: restarts climb fast.
const sim = await startKubeSim({ port: 0, home, timing: { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 20, secondMs: 25, crashBackoffMs: 120, maxBackoffMs: 250, terminateMs: 10 } });
const slack = await startSlackReceiver();
const env = { GANGLION_HOME: home, KUBECONFIG: sim.kubeconfigPath, SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: path.join(home, 'no-secrets'), GANGLION_NOTIFY_RETRY_MS: '0' };
const config = loadConfig(env);
const kube = createKubeAccess({ kubeconfig: sim.kubeconfigPath });
await installDefinitions(await kube.clients(), config.state.namespace);
// the Monitor objects, as automate leaves them (and as this function's own pod reads them)
const state = stateClient(kube, config);
const { admin } = writeTestTokens(config.alerts.secretsDir);
const app = createFunctionApp(monitorFn, { config, log: createLogger({ name: 'monitor', level: 'silent' }), kube });

async function check(input: unknown): Promise<{ status: number; summary: string }> {
  const res = await app({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/json', ...bearer(admin) }, body: Buffer.from(JSON.stringify(input)) });
  const body = JSON.parse(String(res.body)) as { summary?: string; error?: { message: string } };
  return { status: res.status, summary: body.summary ?? body.error?.message ?? '' };
}

async function apiServerRestarts(): Promise<number> {
  const res = await fetch(`${sim.url}/api/v1/namespaces/apps/pods?labelSelector=app%3Dapi-server`, { headers: { authorization: `Bearer ${sim.token}` } });
  const list = (await res.json()) as { items: Array<{ status?: { containerStatuses?: Array<{ restartCount?: number }> } }> };
  return Math.max(0, ...list.items.map((p) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0)));
}

const about = (p: SlackPost, what: string) => (p.payload.text ?? '').includes(what);
const apiPosts = () => slack.posts.filter((p) => about(p, 'deployment/api-server'));

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a pod whose restarts cross 3 gives exactly one Slack alert, and one resolve notice once it recovers', async () => {
  await putMonitor(state, { id: 'pod-restarts-over-3', rule: { kind: 'restarts', threshold: 3, namespace: 'apps' }, schedule: '*/5 * * * *', notify: ['slack'], scheduledBy: 'default/ganglion-monitor-pod-restarts-over-3' });

  await until('the api-server alert', async () => {
    const before = await apiServerRestarts();
    const r = await check({ monitor: 'pod-restarts-over-3' });
    assert.is(r.status, 200, r.summary);
    // No alert may arrive while every api-server pod is at 3 restarts or fewer.
    if (before > 3 || apiPosts().length === 0) return apiPosts().length > 0;
    return true;
  });
  const alert = apiPosts()[0]!;
  assert.is(alert.contentType, 'application/json');
  assert.match(alert.payload.text ?? '', /Alert: deployment\/api-server in apps — pods restarting more than 3 times/);
  assert.is((alert.payload.blocks ?? [])[0]?.type, 'header');
  assert.match(JSON.stringify(alert.payload.blocks), /restarted \d+ times \(more than 3\)/);

  // It keeps crashing: more checks, more restarts, still one alert.
  const seen = await apiServerRestarts();
  await until('two more restarts', async () => {
    await check({ monitor: 'pod-restarts-over-3' });
    return (await apiServerRestarts()) >= seen + 2;
  });
  await check({ monitor: 'pod-restarts-over-3' });
  assert.is(apiPosts().length, 1, 'one alert per incident, not per check');

  // The fix: api-server gets an image that runs; its crash-looping pods go away.
  const patch = await fetch(`${sim.url}/apis/apps/v1/namespaces/apps/deployments/api-server`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/strategic-merge-patch+json' },
    body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'api-server', image: 'registry.local/placemyparents:1.4' }] } } } }),
  });
  assert.is(patch.status, 200);
  await until('the resolve notice', async () => {
    await check({ monitor: 'pod-restarts-over-3' });
    return apiPosts().length === 2;
  });
  await check({ monitor: 'pod-restarts-over-3' });
  await check({ monitor: 'pod-restarts-over-3' });
  const posts = apiPosts();
  assert.is(posts.length, 2);
  assert.match(posts[1]!.payload.text ?? '', /Resolved: deployment\/api-server in apps — pods restarting more than 3 times/);
  assert.equal(slack.refused, [], 'every payload had Slack\'s shape');
  const log = (await readAlerts(state)).filter((a) => a.subject === 'deployment/api-server');
  assert.equal(log.map((a) => [a.kind, a.delivered]), [['alert', ['slack']], ['resolve', ['slack']]]);
});

test('an alert Slack refuses with 500 is retried; one that never arrives is tried again at the next check', async () => {
  await putMonitor(state, { id: 'node-not-ready', rule: { kind: 'node-not-ready', minutes: 0 }, schedule: '*/5 * * * *', notify: ['slack'], scheduledBy: 'default/ganglion-monitor-node-not-ready' });
  const res = await fetch(`${sim.url}/api/v1/nodes/pi-3/status`, { headers: { authorization: `Bearer ${sim.token}` } });
  assert.is(res.status, 200);
  const node = (await res.json()) as { status: { conditions: Array<{ type: string; status: string; message?: string }> } };
  const conditions = node.status.conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', reason: 'KubeletNotReady', message: 'PLEG is not healthy' } : c));
  const put = await fetch(`${sim.url}/api/v1/nodes/pi-3/status`, { method: 'PATCH', headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status: { conditions } }) });
  assert.is(put.status, 200);
  const before = slack.posts.length;
  slack.failNext(4, 503); // every attempt of the first check fails
  const first = await check({ monitor: 'node-not-ready' });
  assert.match(first.summary, /alerted node\/pi-3 \(not delivered: slack answered 503/);
  assert.is(slack.posts.length, before);
  slack.failNext(1, 500); // the next check's first attempt fails, its retry lands
  const second = await check({ monitor: 'node-not-ready' });
  assert.match(second.summary, /alerted node\/pi-3$/m);
  assert.is(slack.posts.length, before + 1);
  assert.match(slack.posts.at(-1)!.payload.text ?? '', /node\/pi-3/);
  const third = await check({ monitor: 'node-not-ready' });
  assert.match(third.summary, /^node-not-ready: 1 firing: node\/pi-3$/);
  assert.is(slack.posts.length, before + 1);
});

test('GET /monitors lists each monitor with its rule, schedule and what is firing', async () => {
  const res = await app({ method: 'GET', path: '/monitors', query: new URLSearchParams(), headers: bearer(admin), body: Buffer.alloc(0) });
  const list = JSON.parse(String(res.body)) as Array<{ id: string; every: string; description: string; firing: unknown[] }>;
  assert.equal(list.map((m) => [m.id, m.every]), [['node-not-ready', 'every 5 minutes'], ['pod-restarts-over-3', 'every 5 minutes']]);
  assert.is(list[0]!.firing.length, 1);
  assert.is(list[1]!.description, 'pods restarting more than 3 times in namespace apps');
});

test('no monitor named checks every monitor now; a cron-connector call is refused (401 without a token; 400 with one, since each monitor has its own CronJob)', async () => {
  await putMonitor(state, { id: 'deployment-unavailable', rule: { kind: 'deployment-unavailable', minutes: 0 }, schedule: '*/5 * * * *', notify: [], scheduledBy: 'default/ganglion-monitor-deployment-unavailable' });
  const all = await check({});
  assert.is(all.status, 200, all.summary);
  assert.equal(all.summary.split('\n').map((l) => l.split(':')[0]), ['deployment-unavailable', 'node-not-ready', 'pod-restarts-over-3']);
  assert.match(all.summary, /^deployment-unavailable: \d+ firing: .*deployment\/notifier in apps/m);
  const anonymous = await app({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'x-topic': 'cron-function', 'x-connector': 'cron-connector' }, body: Buffer.alloc(0) });
  assert.is(anonymous.status, 401);
  const cron = await app({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'x-topic': 'cron-function', 'x-connector': 'cron-connector', ...bearer(admin) }, body: Buffer.alloc(0) });
  assert.is(cron.status, 400);
  assert.match(String(cron.body), /its own CronJob .*remove the topic: cron-function annotation/);
});

test('an unknown monitor is a 404 that says how to list them', async () => {
  const r = await check({ monitor: 'nope' });
  assert.is(r.status, 404);
  assert.match(r.summary, /no monitor "nope" in namespace ganglion.*ganglion monitors/);
});

test.after(async () => {
  await slack.close();
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
