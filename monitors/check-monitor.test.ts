import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createKubeAccess } from '../cluster/kube-access.js';
import { loadConfig } from '../kernel/config.js';
import { writeKubeconfig } from '../testing/read-tool-harness.js';
import { startStateCluster } from '../testing/state-cluster.js';
import { checkMonitor } from './check-monitor.js';
import type { ClusterSnapshot } from './evaluate-rule.js';
import { putMonitor, readMonitor, saveMonitorStatus, type MonitorObject } from './monitor-store.js';
import { startSlackReceiver } from './testing/slack-receiver.js';

const slack = await startSlackReceiver();
const cluster = await startStateCluster({ scenario: 'empty' });
const { state } = cluster;
// Nothing listens on port 1: reading the watched cluster fails the way an outage does; the Monitor objects stay readable.
const kubeconfig = writeKubeconfig(cluster.home, 'http://127.0.0.1:1', 'pi-cluster');
const config = loadConfig({ GANGLION_HOME: cluster.home, SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: `${cluster.home}/none`, GANGLION_NOTIFY_RETRY_MS: '0' });
const kube = createKubeAccess({ kubeconfig });
const now = () => new Date();
const node = (ready: boolean) => ({ metadata: { name: 'pi-2' }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] } });
const snap = (ready: boolean) => async (): Promise<ClusterSnapshot> => ({ pods: [], nodes: [node(ready)], deployments: [], events: [], now: Date.now() });
const titles = () => slack.posts.map((p) => (p.payload.text ?? '').replace(/^:\w+: /, '').replace(/ — .*$/, ''));
const deps = { config, kube, state, now };

test('a cluster that cannot be read alerts once, keeps open incidents open, and resolves when it answers again', async () => {
  await putMonitor(state, { id: 'node-not-ready', rule: { kind: 'node-not-ready' }, schedule: '*/5 * * * *', notify: ['slack'], scheduledBy: 'default/ganglion-monitor-node-not-ready' });
  await checkMonitor('node-not-ready', { ...deps, snapshot: snap(false) });
  assert.equal(titles(), ['Alert: node/pi-2']);
  const down = await checkMonitor('node-not-ready', deps);
  await checkMonitor('node-not-ready', deps);
  assert.equal(titles(), ['Alert: node/pi-2', 'Alert: cluster/pi-cluster'], 'one outage alert, and pi-2 is not reported resolved');
  assert.match(down.firing.find((f) => f.subject === 'cluster/pi-cluster')?.detail ?? '', /^cannot read the cluster: /);
  await checkMonitor('node-not-ready', { ...deps, snapshot: snap(true) });
  assert.equal(titles().slice(2).sort(), ['Resolved: cluster/pi-cluster', 'Resolved: node/pi-2']);
  // the history the weekly report reads, on the Monitor object
  const rec = await readMonitor(state, 'node-not-ready');
  const history = (rec?.alerts ?? []).map((a) => `${a.kind} ${a.subject} via ${a.delivered.join(',')}`);
  assert.equal(history.slice(0, 2), ['alert node/pi-2 via slack', 'alert cluster/pi-cluster via slack']);
  assert.equal(history.slice(2).sort(), ['resolve cluster/pi-cluster via slack', 'resolve node/pi-2 via slack']);
  assert.equal((rec?.object as MonitorObject).status?.firing, 0);
});

test('two checks at once (two pods, one incident): the status write with the older resourceVersion loses and sends nothing', async () => {
  await putMonitor(state, { id: 'pod-health', rule: { kind: 'node-not-ready', minutes: 0 }, schedule: '*/5 * * * *', notify: ['slack'], scheduledBy: 'default/ganglion-monitor-pod-health' });
  const before = slack.posts.length;
  // both checks have read the Monitor (the same resourceVersion) before either evaluates the cluster
  let arrived = 0;
  let release: () => void = () => {};
  const both = new Promise<void>((r) => { release = r; });
  const barrier = async (): Promise<ClusterSnapshot> => {
    if (++arrived === 2) release();
    await both;
    return { pods: [], nodes: [node(false)], deployments: [], events: [], now: Date.now() };
  };
  const [a, b] = await Promise.all([checkMonitor('pod-health', { ...deps, snapshot: barrier }), checkMonitor('pod-health', { ...deps, snapshot: barrier })]);
  assert.is(slack.posts.length - before, 1, 'exactly one Slack message for the incident');
  assert.equal([a.sent.length, b.sent.length].sort(), [0, 1]);
  const rec = await readMonitor(state, 'pod-health');
  assert.equal(rec?.alerts.map((x) => x.subject), ['node/pi-2']);
  assert.is(rec?.state.checks, 2, 'the losing check read again and recorded its check too');
});

test('a notice no channel took is given back, so the next check sends it; a stale status write is refused with 409', async () => {
  await putMonitor(state, { id: 'deployment-unavailable', rule: { kind: 'node-not-ready', minutes: 0 }, schedule: '*/5 * * * *', notify: ['slack'], scheduledBy: 'x' });
  const before = slack.posts.length;
  slack.failNext(4, 503);
  const first = await checkMonitor('deployment-unavailable', { ...deps, snapshot: snap(false) });
  assert.match(first.sent[0]?.failed[0] ?? '', /slack answered 503/);
  assert.is(slack.posts.length, before);
  assert.is((await readMonitor(state, 'deployment-unavailable'))?.alerts.length, 0, 'nothing reached anyone yet');
  await checkMonitor('deployment-unavailable', { ...deps, snapshot: snap(false) });
  assert.is(slack.posts.length, before + 1);
  const rec = await readMonitor(state, 'deployment-unavailable');
  assert.ok(rec);
  await saveMonitorStatus(state, rec);
  try {
    await saveMonitorStatus(state, rec);
    assert.unreachable('a write as of an old resourceVersion must fail');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'conflict');
  }
});

test('an unknown monitor is a 404 naming where monitors live', async () => {
  try {
    await checkMonitor('nope', deps);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match((err as Error).message, /no monitor "nope" in namespace ganglion .*ganglion monitors/);
  }
});

test.after(async () => {
  await slack.close();
  await cluster.stop();
});
test.run();
