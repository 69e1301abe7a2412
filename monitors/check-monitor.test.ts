import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKubeAccess } from '../cluster/kube-access.js';
import { loadConfig } from '../kernel/config.js';
import { writeKubeconfig } from '../testing/read-tool-harness.js';
import { checkMonitor } from './check-monitor.js';
import type { ClusterSnapshot } from './evaluate-rule.js';
import { emptyState } from './incident-state.js';
import { saveMonitor } from './monitor-store.js';
import { startSlackReceiver } from './testing/slack-receiver.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const slack = await startSlackReceiver();
// Nothing listens on port 1: reading this cluster fails the way an outage does.
const kubeconfig = writeKubeconfig(home, 'http://127.0.0.1:1', 'pi-cluster');
const config = loadConfig({ GANGLION_HOME: home, SLACK_WEBHOOK_URL: slack.url, GANGLION_SECRETS_DIR: path.join(home, 'none') });
const kube = createKubeAccess({ kubeconfig });
const now = () => new Date();
const node = (ready: boolean) => ({ metadata: { name: 'pi-2' }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] } });
const snap = (ready: boolean) => async (): Promise<ClusterSnapshot> => ({ pods: [], nodes: [node(ready)], deployments: [], events: [], now: Date.now() });
const titles = () => slack.posts.map((p) => (p.payload.text ?? '').replace(/^:\w+: /, '').replace(/ — .*$/, ''));

test('a cluster that cannot be read alerts once, keeps open incidents open, and resolves when it answers again', async () => {
  const t = new Date().toISOString();
  saveMonitor(home, { monitor: { id: 'node-not-ready', rule: { kind: 'node-not-ready' }, schedule: '*/5 * * * *', notify: ['slack'], scheduledBy: 'gateway', createdAt: t, updatedAt: t }, state: emptyState() });
  await checkMonitor('node-not-ready', { config, kube, now, snapshot: snap(false) });
  assert.equal(titles(), ['Alert: node/pi-2']);
  const down = await checkMonitor('node-not-ready', { config, kube, now });
  await checkMonitor('node-not-ready', { config, kube, now });
  assert.equal(titles(), ['Alert: node/pi-2', 'Alert: cluster/pi-cluster'], 'one outage alert, and pi-2 is not reported resolved');
  assert.match(down.firing.find((f) => f.subject === 'cluster/pi-cluster')?.detail ?? '', /^cannot read the cluster: /);
  await checkMonitor('node-not-ready', { config, kube, now, snapshot: snap(true) });
  assert.equal(titles().slice(2).sort(), ['Resolved: cluster/pi-cluster', 'Resolved: node/pi-2']);
});

test.after(async () => {
  await slack.close();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
