/**
 * End to end, as on a cluster: "Alert me if any pod restarts more than 3 times" → planner → automate (approved) → a
 * Monitor object and a CronJob → at the 5-minute mark the CronJob's Job runs the real worker (`invoke monitor`) →
 * gateway → monitor function → one Slack message for the crash-looping api-server, and none at the next firing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { startKubeSim } from '@ganglion/kube-sim';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startGateway } from '../../gateway/index.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { loadConfig } from '../../kernel/config.js';
import { readMonitor } from '../../monitors/monitor-store.js';
import { startSlackReceiver } from '../../monitors/testing/slack-receiver.js';
import { jumpClock } from '../../testing/jump-clock.js';
import { waitFor } from '../../testing/home-lab.js';
import { main } from '../../cli/main.js';
import type { RunView } from '../../events/run-schema.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gateway.adminToken);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const stackFile = path.join(home, 'stack.yml');
fs.writeFileSync(stackFile, `version: 1.0
provider: {name: openfaas, gateway: http://127.0.0.1:8080}
functions:
${['planner', 'automate', 'monitor', 'report'].map((f) => `  ${f}:\n    lang: ganglion-ts\n    handler: ./functions/${f}\n    image: ghcr.io/ganglion/ganglion-${f}:test\n`).join('')}`);

const clock = jumpClock();
// api-server crashes after 2 scenario seconds (50 ms here) and comes back after a short back-off: restarts climb fast
const sim = await startKubeSim({
  port: 0, home, clock, workerEntry: path.join(repoRoot, 'dist', 'workers', 'main.js'),
  timing: { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 20, secondMs: 25, crashBackoffMs: 120, maxBackoffMs: 250, terminateMs: 10 },
});
const kube = createKubeAccess({ kubeconfig: sim.kubeconfigPath });
const config = loadConfig({ GANGLION_HOME: home, KUBECONFIG: sim.kubeconfigPath });
await installDefinitions(await kube.clients(), config.state.namespace);
const state = stateClient(kube, config);
const slack = await startSlackReceiver();
const gateway = await startGateway({
  stackFile, mode: 'shared', home, port: 0, cron: false, distRoot: path.join(repoRoot, 'dist'),
  env: { KUBECONFIG: sim.kubeconfigPath, SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: path.join(home, 'no-secrets'), GANGLION_STACK: stackFile, GANGLION_NOTIFY_RETRY_MS: '0', LOG_LEVEL: 'error' },
});

async function command(text: string, context: Record<string, unknown> = {}): Promise<RunView> {
  const res = await authed(`${gateway.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, context: { client: 'test', ...context } }) });
  const raw = await res.text();
  try {
    return JSON.parse(raw) as RunView;
  } catch {
    throw new Error(`planner answered ${res.status}: ${raw}`);
  }
}
async function kubectl(...args: string[]): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { env: { ...process.env, HOME: home }, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
  });
}

const CRON = 'ganglion-monitor-pod-restarts-over-3';
const apiPosts = () => slack.posts.filter((p) => (p.payload.text ?? '').includes('deployment/api-server'));
type Job = { metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } };
const finishedJobs = () => (sim.store.list('jobs', { namespace: 'default', labelSelector: 'ganglion.dev/monitor=pod-restarts-over-3' }).items as unknown as Job[])
  .filter((j) => (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'));

async function apiServerRestarts(): Promise<number> {
  const list = await (await kube.clients()).core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=api-server' });
  return Math.max(0, ...list.items.map((p) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0)));
}

/** Jumps the cluster's clock a second past the next 5-minute mark and waits for the Job that firing starts (<cronjob>-<minutes since the epoch>) to finish. */
async function nextFiring(): Promise<Job> {
  const mark = Math.floor(clock.now() / 300_000) * 300_000 + 300_000;
  clock.advanceTo(mark + 1_000);
  // the CronJob keeps one successful Job (successfulJobsHistoryLimit): look for this firing's by name
  return waitFor('the CronJob\'s Job to finish', async () => finishedJobs().find((j) => j.metadata.name === `${CRON}-${mark / 60_000}`), 60_000);
}

test('unapproved, "Alert me if…" shows the Monitor and CronJob it would create and creates neither', async () => {
  const run = await command('Alert me if any pod restarts more than 3 times');
  assert.is(run.status, 'awaiting-approval', run.summary);
  const changes = (run.approval?.changes ?? []).map((c) => c.text);
  assert.ok(changes.some((t) => t.includes('pods restarting more than 3 times') && t.includes('monitor/pod-restarts-over-3')), changes.join('\n'));
  assert.ok(changes.some((t) => t.includes('*/5 * * * *') && t.includes(`cronjob/${CRON}`)), changes.join('\n'));
  assert.is(await readMonitor(state, 'pod-restarts-over-3'), undefined);
  assert.not.match(await kubectl('get', 'cronjobs', '-A'), CRON);
});

test('approved, it leaves a Monitor and a CronJob that kubectl lists', async () => {
  const run = await command('Alert me if any pod restarts more than 3 times', { yes: true });
  assert.is(run.status, 'completed', run.summary);
  assert.is(run.summary, 'Done. Now checking for pods restarting more than 3 times every 5 minutes. Slack alerts enabled.');
  assert.match(await kubectl('get', 'cronjobs', '-n', 'default'), new RegExp(`^${CRON}\\s+\\*/5 \\* \\* \\* \\*`, 'm'));
  assert.match(await kubectl('get', 'monitors', '-n', 'ganglion'), /^pod-restarts-over-3\s+pods restarting more than 3 times\s+\*\/5 \* \* \* \*/m);
});

test('at the 5-minute mark the CronJob runs the worker, which invokes the monitor: one Slack alert for api-server; the next firing sends nothing new', async () => {
  await waitFor('api-server past 3 restarts', async () => ((await apiServerRestarts()) > 3 ? true : undefined), 30_000);
  const first = await nextFiring();
  assert.ok((first.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True'), `the invoke worker failed: ${JSON.stringify(first.status)}`);
  assert.is(apiPosts().length, 1, slack.posts.map((p) => p.payload.text).join('\n'));
  assert.match(apiPosts()[0]!.payload.text ?? '', /Alert: deployment\/api-server in apps — pods restarting more than 3 times/);
  const rec = await readMonitor(state, 'pod-restarts-over-3');
  assert.ok(rec?.state.lastCheckAt, 'the check recorded itself on the Monitor');
  assert.ok(rec?.alerts.some((a) => a.subject === 'deployment/api-server' && a.kind === 'alert'));

  const second = await nextFiring();
  assert.ok((second.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True'));
  assert.is((await readMonitor(state, 'pod-restarts-over-3'))?.state.checks, 2, 'two firings, two checks');
  assert.is(apiPosts().length, 1, 'no second alert for the same incident');
  const alerted = slack.posts.map((p) => p.payload.text ?? '').filter((t) => t.includes('Alert: '));
  assert.equal(alerted.length, new Set(alerted.map((t) => t.replace(/ — .*/s, ''))).size, 'every incident alerted once');
  assert.equal(slack.refused, []);
});

test('ganglion monitors lists it from the gateway with what is firing', async () => {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await main(['--gateway', gateway.url, 'monitors'], { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: { GANGLION_HOME: path.join(home, 'elsewhere'), GANGLION_TOKEN: gateway.adminToken }, interactive: false, stdoutIsTTY: false });
  assert.is(code, 0);
  assert.match(out, /^pod-restarts-over-3 {2}\d+ firing {2}pods restarting more than 3 times, every 5 minutes \(\*\/5 \* \* \* \*\), slack {2}last check /m);
  assert.match(out, /^ {4}deployment\/api-server \(apps\): /m);
});

test('"stop alerting me about pod restarts" deletes the CronJob and the Monitor', async () => {
  const run = await command('stop alerting me about pod restarts', { yes: true });
  assert.is(run.status, 'completed', run.summary);
  assert.match(run.summary, /^Done\. Stopped checking pods restarting more than 3 times \(\d+ open incidents? dropped without a resolve notice\)\.$/);
  assert.not.match(await kubectl('get', 'cronjobs', '-n', 'default'), CRON);
  assert.not.match(await kubectl('get', 'monitors', '-n', 'ganglion'), 'pod-restarts-over-3');
});

test.after(async () => {
  await gateway.stop();
  await slack.close();
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
