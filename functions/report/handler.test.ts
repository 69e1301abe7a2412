import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { startHomeLab } from '../../testing/home-lab.js';
import { createFunctionApp } from '../../host/function-app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { appendAudit } from '../../audit/audit-log.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { stateOf } from '../../testing/state-of.js';
import { putMonitor, saveMonitorStatus } from '../../monitors/monitor-store.js';
import { startSlackReceiver } from '../../monitors/testing/slack-receiver.js';
import * as report from './handler.js';
import type { ReportData } from './report-data.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

const lab = await startHomeLab();
const slack = await startSlackReceiver();
const home = lab.home;
const env = { GANGLION_HOME: home, KUBECONFIG: lab.kubeconfig, SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: path.join(home, 'no-secrets') };
const config = loadConfig(env);
const kube = createKubeAccess({ kubeconfig: lab.kubeconfig });
await installDefinitions(await kube.clients(), config.state.namespace);
const { admin } = writeTestTokens(config.alerts.secretsDir);
const app = createFunctionApp(report, { config, log: createLogger({ name: 'report', level: 'silent' }), kube });

async function call(input: unknown): Promise<{ status: number; summary: string; data: { report: ReportData; markdown: string } }> {
  const res = await app({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/json', ...bearer(admin) }, body: Buffer.from(JSON.stringify(input)) });
  return { status: res.status, ...(JSON.parse(String(res.body)) as { summary: string; data: { report: ReportData; markdown: string } }) };
}

// Ganglion's definitions (as `kubectl apply -f k8s/`), where the audit records go.
const state = stateOf(lab.kubeconfig);
await installDefinitions(await createKubeAccess({ kubeconfig: lab.kubeconfig }).clients(), state.namespace);

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
// What the planner writes when a deploy is applied (and one from before the week, which must not show).
await appendAudit(state, { time: ago(2), client: 'ganglion-cli', runId: 'r1', stepId: 's1', verb: 'deploy', object: 'deployment/placemyparents', namespace: 'apps', cluster: 'ganglion-sim', before: { image: 'registry.local/placemyparents:1.4' }, after: { image: 'registry.local/placemyparents:2.0' }, result: 'attempt', approvedBy: 'person' });
await appendAudit(state, { time: ago(2), client: 'ganglion-cli', runId: 'r1', stepId: 's1', verb: 'deploy', object: 'deployment/placemyparents', namespace: 'apps', cluster: 'ganglion-sim', before: { image: 'registry.local/placemyparents:1.4' }, after: { image: 'registry.local/placemyparents:2.0' }, result: 'applied', approvedBy: 'person' });
await appendAudit(state, { time: ago(9), client: 'faas-cli', runId: 'r0', stepId: 's1', verb: 'scale', object: 'deployment/frontend', namespace: 'web', cluster: 'ganglion-sim', before: { replicas: 2 }, after: { replicas: 5 }, result: 'applied' });
// What a monitor check records on its Monitor object: an alert of this week and one from before it, which must not count.
const monitor = await putMonitor(state, { id: 'pod-restarts-over-3', rule: { kind: 'restarts', threshold: 3 }, schedule: '*/5 * * * *', notify: ['slack'], scheduledBy: 'default/ganglion-monitor-pod-restarts-over-3' });
await saveMonitorStatus(state, { ...monitor, alerts: [
  { time: ago(10), monitor: 'pod-restarts-over-3', kind: 'alert', subject: 'deployment/old-thing', namespace: 'apps', detail: 'pod old-thing-x restarted 5 times (more than 3)', delivered: ['slack'] },
  { time: ago(1), monitor: 'pod-restarts-over-3', kind: 'alert', subject: 'deployment/api-server', namespace: 'apps', detail: 'pod api-server-x restarted 4 times (more than 3)', delivered: ['slack'] },
] });

test('the weekly report fills every section from the cluster, the audit log and the alerts on the Monitor objects', async () => {
  const r = await call({});
  assert.is(r.status, 200, r.summary);
  const data = r.data.report;
  assert.equal(data.nodes.map((n) => [n.name, n.arch, n.ready]), [['pi-1', 'arm64', true], ['pi-2', 'arm64', true], ['pi-3', 'arm64', true]]);
  assert.ok(data.totals.cpuAllocatable > 0 && data.totals.cpuRequested > 0 && data.totals.memoryRequested > 0);
  assert.ok(data.workloads.degraded.some((w) => w.name === 'api-server'));
  assert.ok(data.restarts.some((p) => p.owner === 'deployment/api-server' && p.restarts >= 1));
  assert.equal(data.rollouts.map((x) => [x.verb, x.object, x.change, x.result]), [['deploy', 'deployment/placemyparents', 'image placemyparents:1.4 → 2.0', 'applied']]);
  assert.is(data.alerts.opened, 1);
  assert.equal(data.alerts.stillFiring, ['pod-restarts-over-3 apps/deployment/api-server']);
  const md = r.data.markdown;
  for (const h of ['## Nodes and capacity', '## Workloads', '## Restarts', '## Rollouts (audit log)', '## Alerts of the week']) assert.ok(md.includes(h), h);
  assert.match(md, /\| pi-1 \| Ready \| arm64 \| \d+ \| [\d.]+ of [\d.]+ cores \(\d+%\) \|/);
  assert.match(md, /\| deploy \| deployment\/placemyparents \(apps\) \| image placemyparents:1.4 → 2.0 \| applied \| ganglion-cli \(person\) \|/);
  assert.not.match(md, /frontend \(web\)/, 'a change from before the week is left out');
  assert.match(r.summary, /^Infrastructure report — ganglion-sim, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: 3\/3 nodes Ready/);
});

test('notify: slack sends the report as a Slack message with its sections', async () => {
  const r = await call({ notify: 'slack' });
  assert.is(r.status, 200);
  assert.match(r.summary, /Sent to slack\./);
  assert.is(slack.posts.length, 1);
  const text = JSON.stringify(slack.posts[0]!.payload.blocks);
  for (const s of ['*Nodes and capacity*', '*Workloads*', '*Restarts*', '*Rollouts*', '*Alerts*']) assert.ok(text.includes(s), s);
  assert.equal(slack.refused, []);
});

test.after(async () => {
  await slack.close();
  await lab.sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
