import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHomeLab } from '../../testing/home-lab.js';
import { callerFor } from '../../testing/read-tool-harness.js';
import * as clusterStatus from './handler.js';
import type { ClusterStatusData } from './handler.js';

const lab = await startHomeLab();
const call = callerFor(clusterStatus, lab.kubeconfig);

test('nodes: the three arm64 Pis, ready, with capacity and allocatable as the scenario declares', async () => {
  const d = (await call({})).data.data as ClusterStatusData;
  assert.is(d.cluster, 'ganglion-sim');
  assert.equal(d.nodes.map((n) => [n.name, n.ready, n.status, n.arch]), [['pi-1', true, 'Ready', 'arm64'], ['pi-2', true, 'Ready', 'arm64'], ['pi-3', true, 'Ready', 'arm64']]);
  assert.equal(d.nodes[0]!.roles, ['control-plane', 'master']);
  assert.equal(d.nodes[0]!.capacity, { cpu: '4', memory: '8128548Ki', pods: '110' });
  assert.equal(d.nodes[2]!.allocatable, { cpu: '4', memory: '7997272Ki', pods: '110' });
  assert.is(d.allocatable.cpuCores, 12);
});

test('namespaces, Deployments ready/desired, pods by phase and the unhealthy pods', async () => {
  const d = (await call({})).data.data as ClusterStatusData;
  assert.equal(d.namespaces, ['apps', 'data', 'default', 'kube-node-lease', 'kube-public', 'kube-system', 'monitoring', 'staging', 'web']);
  const w = Object.fromEntries(d.workloads.map((x) => [`${x.namespace}/${x.name}`, `${x.ready}/${x.desired}`]));
  assert.is(d.workloads.length, 15);
  assert.is(w['apps/placemyparents'], '3/3');
  assert.is(w['apps/api-server'], '0/1');
  assert.is(w['data/postgres'], '0/0');
  assert.is(w['web/frontend'], '2/2');
  assert.equal(d.workloads.find((x) => x.name === 'placemyparents')?.images, ['registry.local/placemyparents:1.4']);
  assert.equal(d.pods, { total: 21, byPhase: { Running: 17, Pending: 2, Failed: 1, Succeeded: 1 } });
  assert.equal(d.unhealthy.map((f) => `${f.owner ?? f.pod} ${f.reason}`), ['deployment/api-server CrashLoopBackOff', 'deployment/image-resizer OOMKilled', 'deployment/notifier ImagePullBackOff', 'deployment/batch-analytics Pending', 'deployment/grafana NotReady', 'log-shipper-5d8f7 Evicted']);
});

test('the summary is a few lines a person reads', async () => {
  const lines = ((await call({})).data.summary ?? '').split('\n');
  assert.is(lines.length, 6);
  assert.is(lines[0], 'Cluster ganglion-sim: 6 unhealthy pods');
  assert.is(lines[1], 'Nodes: 3/3 ready (arm64): pi-1, pi-2, pi-3 — 12 CPU, 23.1 GiB memory allocatable');
  assert.is(lines[3], 'Deployments: 10/15 fully ready; not ready: apps/api-server 0/1, apps/image-resizer 0/1, apps/notifier 0/1, data/batch-analytics 0/1, monitoring/grafana 0/1');
  assert.match(lines[4]!, /^Pods: 21 — 17 Running, 2 Pending, 1 (Failed|Succeeded), 1 (Failed|Succeeded)$/);
  assert.match(lines[5]!, /^Unhealthy pods \(6\): apps\/api-server-\S+ CrashLoopBackOff \(\d+ restarts?, last exit Error code 1\), /);
});

test('one namespace narrows workloads and pods; an unknown one is a 404 naming the namespaces', async () => {
  const res = await call({ namespace: 'web' });
  const d = res.data.data as ClusterStatusData;
  assert.equal(d.workloads.map((x) => x.name), ['docs-site', 'frontend', 'web-proxy']);
  assert.is(d.pods.total, 5);
  assert.is((res.data.summary ?? '').split('\n')[0], 'Cluster ganglion-sim, namespace web: all pods healthy');
  const missing = await call({ namespace: 'nope' });
  assert.is(missing.status, 404);
  assert.match(missing.data.error?.message ?? '', /^namespace "nope" does not exist in cluster ganglion-sim; existing namespaces: apps, data, /);
});

test.after(() => lab.sim.stop());
test.run();
