import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHomeLab, type FailingRow } from '../../testing/home-lab.js';
import { callerFor } from '../../testing/read-tool-harness.js';
import * as failingPods from './handler.js';

const lab = await startHomeLab();
const call = callerFor(failingPods, lab.kubeconfig);
const byWorkload = (rows: FailingRow[], w: string) => rows.find((f) => f.owner === `deployment/${w}`);

test('lists every unhealthy home-lab pod across namespaces, each with the reason to act on', async () => {
  const res = await call({});
  assert.is(res.status, 200);
  assert.is(res.type, 'dev.ganglion.step.completed');
  const data = res.data.data as { total: number; failing: FailingRow[]; byReason: Record<string, number>; cluster: string };
  assert.is(data.cluster, 'ganglion-sim');
  assert.is(data.total, 21);
  assert.equal(data.failing.map((f) => `${f.namespace}/${f.owner ?? f.pod} ${f.reason}`), [
    'apps/deployment/api-server CrashLoopBackOff',
    'apps/deployment/image-resizer OOMKilled',
    'apps/deployment/notifier ImagePullBackOff',
    'data/deployment/batch-analytics Pending',
    'monitoring/deployment/grafana NotReady',
    'monitoring/log-shipper-5d8f7 Evicted',
  ]);
  assert.match(res.data.summary ?? '', /^6 of 21 pods are unhealthy: /);
});

test('CrashLoopBackOff carries restarts and the last exit; OOMKilled names exit 137 and the 128Mi limit', async () => {
  const rows = (((await call({})).data.data) as { failing: FailingRow[] }).failing;
  const api = byWorkload(rows, 'api-server')!;
  assert.ok(api.restarts >= 1);
  assert.equal({ reason: api.lastExit?.reason, exitCode: api.lastExit?.exitCode }, { reason: 'Error', exitCode: 1 });
  assert.is(api.image, 'registry.local/api-server:3.2.1');
  assert.match(api.detail, /container api-server keeps crashing: restarted \d+ times?, last exit Error \(exit code 1\)/);
  const oom = byWorkload(rows, 'image-resizer')!;
  assert.is(oom.lastExit?.exitCode, 137);
  assert.match(oom.detail, /ran out of memory \(limit 128Mi\)/);
});

test('image pull failures name the image; Pending carries the scheduler\'s message; NotReady the probe failure', async () => {
  const rows = (((await call({})).data.data) as { failing: FailingRow[] }).failing;
  assert.is(byWorkload(rows, 'notifier')?.image, 'registry.local/notifier:1.0.3');
  const pending = byWorkload(rows, 'batch-analytics')!;
  assert.match(pending.message ?? '', /0\/3 nodes are available: .*Insufficient memory/);
  const grafana = byWorkload(rows, 'grafana')!;
  assert.is(grafana.message, 'Readiness probe failed: HTTP probe failed with statuscode: 503');
  assert.is(grafana.status, 'Running');
  const evicted = rows.find((f) => f.pod === 'log-shipper-5d8f7')!;
  assert.is(evicted.status, 'Evicted');
  assert.match(evicted.detail, /^evicted from pi-3: The node was low on resource: ephemeral-storage\./);
});

test('a namespace narrows the list; an unknown namespace is a 404 naming the namespaces there are', async () => {
  const apps = await call({ namespace: 'apps' });
  assert.equal(((apps.data.data) as { failing: FailingRow[] }).failing.map((f) => f.owner), ['deployment/api-server', 'deployment/image-resizer', 'deployment/notifier']);
  const web = await call({ namespace: 'web' });
  assert.match(web.data.summary ?? '', /^all 5 pods in namespace web are healthy$/);
  const missing = await call({ namespace: 'nope' });
  assert.is(missing.status, 404);
  assert.is(missing.type, 'dev.ganglion.step.failed');
  assert.is(missing.data.error?.message, 'namespace "nope" does not exist in cluster ganglion-sim; existing namespaces: apps, data, default, kube-node-lease, kube-public, kube-system, monitoring, staging, web');
});

test.after(() => lab.sim.stop());
test.run();
