import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeSim } from '@ganglion/kube-sim';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startGateway } from '../../gateway/index.js';
import { readMonitor } from '../../monitors/monitor-store.js';
import { startSlackReceiver } from '../../monitors/testing/slack-receiver.js';
import { PassThrough } from 'node:stream';
import { main } from '../../cli/main.js';
import type { RunView } from '../../events/run-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const stackFile = path.join(home, 'stack.yml');
fs.writeFileSync(stackFile, `version: 1.0
provider: {name: openfaas, gateway: http://127.0.0.1:8080}
functions:
${['planner', 'automate', 'monitor', 'report'].map((f) => `  ${f}:\n    lang: ganglion-ts\n    handler: ./functions/${f}\n    image: ghcr.io/ganglion/ganglion-${f}:test\n`).join('')}`);

const sim = await startKubeSim({ port: 0, home, timing: { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 20, secondMs: 25, crashBackoffMs: 60_000, maxBackoffMs: 60_000 } });
// Ganglion's definitions, as `kubectl apply -f k8s/` would: the planner reads ApprovalPolicies and writes AuditRecords
await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), 'ganglion');
await sim.settle(2_000);
// The planner keeps its runs as Run objects: the cluster needs Ganglion's definitions (kubectl apply -f k8s/).
await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), 'ganglion');
const slack = await startSlackReceiver();
let clock = new Date('2026-11-25T12:03:00Z');
const gateway = await startGateway({
  stackFile, mode: 'shared', home, port: 0, cron: false, now: () => clock, distRoot: path.join(repoRoot, 'dist'),
  env: { KUBECONFIG: sim.kubeconfigPath, SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: path.join(home, 'no-secrets'), GANGLION_STACK: stackFile, LOG_LEVEL: 'error' },
});
const auth = { authorization: `Basic ${Buffer.from(`admin:${gateway.password}`).toString('base64')}` };

async function command(text: string, context: Record<string, unknown> = {}): Promise<RunView> {
  const res = await fetch(`${gateway.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, context: { client: 'test', ...context } }) });
  const raw = await res.text();
  try {
    return JSON.parse(raw) as RunView;
  } catch {
    throw new Error(`planner answered ${res.status}: ${raw}`);
  }
}
async function schedules(): Promise<Array<{ id: string; function: string; schedule: string; body?: string }>> {
  return (await (await fetch(`${gateway.url}/system/schedules`, { headers: auth })).json()) as Array<{ id: string; function: string; schedule: string; body?: string }>;
}

test('"automate pod health" first shows what it would set up and changes nothing until approved', async () => {
  const run = await command('I keep having to manually check pod health. Can you automate that?');
  assert.is(run.status, 'awaiting-approval', run.summary);
  const changes = (run.approval?.changes ?? []).map((c) => c.text);
  assert.ok(changes.includes('rule (none) → pod health on monitor/pod-health'), changes.join('\n'));
  assert.ok(changes.includes('schedule (none) → */5 * * * * on schedule/monitor-pod-health'), changes.join('\n'));
  assert.ok(changes.includes('notify (none) → slack on monitor/pod-health'), changes.join('\n'));
  assert.is(readMonitor(home, 'pod-health'), undefined);
  assert.equal((await schedules()).filter((s) => s.id.startsWith('monitor-')), []);
});

test('approved, it leaves a pod-health monitor on a 5-minute schedule with Slack alerts, and says so', async () => {
  const run = await command('I keep having to manually check pod health. Can you automate that?', { yes: true });
  assert.is(run.status, 'completed', run.summary);
  assert.is(run.summary, 'Done. Now checking pod health every 5 minutes. Slack alerts enabled.');
  const rec = readMonitor(home, 'pod-health');
  assert.equal({ rule: rec?.monitor.rule, schedule: rec?.monitor.schedule, notify: rec?.monitor.notify, by: rec?.monitor.scheduledBy }, { rule: { kind: 'pod-health' }, schedule: '*/5 * * * *', notify: ['slack'], by: 'gateway' });
  const s = (await schedules()).find((x) => x.id === 'monitor-pod-health');
  assert.equal({ fn: s?.function, schedule: s?.schedule, body: s?.body }, { fn: 'monitor', schedule: '*/5 * * * *', body: '{"monitor":"pod-health"}' });
});

test('the schedule fires on the 5-minute mark and the monitor alerts Slack about the unhealthy pods, once', async () => {
  assert.equal((await gateway.tickSchedules()).filter((id) => id.startsWith('monitor-')), [], '12:03 is not on the 5-minute mark');
  clock = new Date('2026-11-25T12:05:00Z');
  assert.equal(await gateway.tickSchedules(), ['monitor-pod-health']);
  const alerts = slack.posts.map((p) => p.payload.text ?? '');
  assert.ok(alerts.some((t) => /Alert: deployment\/api-server in apps — pod health/.test(t)), alerts.join('\n'));
  assert.ok(alerts.some((t) => /Alert: deployment\/notifier in apps/.test(t)), alerts.join('\n'));
  const count = slack.posts.length;
  clock = new Date('2026-11-25T12:10:00Z');
  assert.equal(await gateway.tickSchedules(), ['monitor-pod-health']);
  assert.is(slack.posts.length, count, 'no second alert for the same incidents');
  assert.equal(slack.refused, []);
});

test('ganglion monitors lists the pod-health monitor with its schedule, Slack, and what is firing', async () => {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const code = await main(['--gateway', gateway.url, 'monitors'], { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: { GANGLION_HOME: path.join(home, 'elsewhere') }, interactive: false, stdoutIsTTY: false });
  assert.is(code, 0);
  assert.match(out, /^pod-health {2}\d+ firing {2}pod health, every 5 minutes \(\*\/5 \* \* \* \*\), slack {2}last check /m);
  assert.match(out, /^ {4}deployment\/api-server \(apps\): CrashLoopBackOff: /m);
});

test('"Alert me if any pod restarts more than 3 times" creates the restarts monitor; "weekly report" schedules the report', async () => {
  const run = await command('Alert me if any pod restarts more than 3 times', { yes: true });
  assert.is(run.status, 'completed', run.summary);
  assert.is(run.summary, 'Done. Now checking for pods restarting more than 3 times every 5 minutes. Slack alerts enabled.');
  assert.equal(readMonitor(home, 'pod-restarts-over-3')?.monitor.rule, { kind: 'restarts', threshold: 3 });
  const weekly = await command('Generate a weekly infrastructure report', { yes: true });
  assert.is(weekly.status, 'completed', weekly.summary);
  assert.is(weekly.summary, 'Done. The infrastructure report goes out every Monday at 08:00. Slack delivery enabled.');
  const s = (await schedules()).find((x) => x.id === 'infrastructure-report');
  assert.equal({ fn: s?.function, schedule: s?.schedule, body: s?.body }, { fn: 'report', schedule: '0 8 * * 1', body: '{"notify":"slack"}' });
  // Monday 08:00: the schedule fires the report function, which posts the report to Slack.
  clock = new Date('2026-11-30T08:00:00Z');
  assert.ok((await gateway.tickSchedules()).includes('infrastructure-report'));
  const posted = slack.posts.find((p) => /Infrastructure report — ganglion-sim/.test(p.payload.text ?? ''));
  assert.ok(posted, slack.posts.map((p) => p.payload.text).join('\n'));
  assert.match(JSON.stringify(posted.payload.blocks), /\*Rollouts\*: none/);
});

test('"stop alerting me about pod restarts" removes that monitor and its schedule, and leaves the others', async () => {
  const run = await command('stop alerting me about pod restarts', { yes: true });
  assert.is(run.status, 'completed', run.summary);
  assert.is(run.summary, 'Done. Stopped checking pods restarting more than 3 times.');
  assert.is(readMonitor(home, 'pod-restarts-over-3'), undefined);
  const ids = (await schedules()).map((x) => x.id).sort();
  assert.equal(ids, ['infrastructure-report', 'monitor-pod-health']);
  const again = await command('stop alerting me about pod restarts', { yes: true });
  assert.is(again.status, 'failed');
  assert.match(again.summary, /there is no monitor pod-restarts-over-3 \(pods restarting more than 3 times\); monitors: pod-health/);
});

test.after(async () => {
  await gateway.stop();
  await slack.close();
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
