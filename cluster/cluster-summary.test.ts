import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statusLines, summariseCluster } from './cluster-summary.js';
import { tallyPods } from './pod-health.js';
import type { Deployment, Node, Pod } from './kube-shapes.js';

const node = (name: string, ready: string, extra: Partial<Node['spec']> = {}): Node => ({
  metadata: { name, labels: { 'kubernetes.io/arch': 'arm64', 'node-role.kubernetes.io/worker': '' } },
  spec: extra,
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    allocatable: { cpu: '3500m', memory: '7Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: ready }, { type: 'MemoryPressure', status: 'False' }],
    nodeInfo: { architecture: 'arm64', kubeletVersion: 'v1.32.0' },
  },
});
const deploy = (ns: string, name: string, desired: number, ready: number): Deployment => ({
  metadata: { name, namespace: ns }, spec: { replicas: desired, template: { spec: { containers: [{ name: 'main', image: `registry.local/${name}:1.4` }] } } },
  status: { readyReplicas: ready, availableReplicas: ready, updatedReplicas: desired },
});
const running = (ns: string, name: string): Pod => ({ metadata: { name, namespace: ns }, status: { phase: 'Running', containerStatuses: [{ name: 'm', ready: true, state: { running: {} } }] } });
const crashing: Pod = {
  metadata: { name: 'api-server-7d9f4-x2k1p', namespace: 'apps' },
  status: { phase: 'Running', containerStatuses: [{ name: 'api', ready: false, restartCount: 12, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] },
};
const pending: Pod = { metadata: { name: 'big-0', namespace: 'apps' }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }] } };

const summary = summariseCluster({
  nodes: [node('pi-2', 'True'), node('pi-1', 'True'), node('pi-3', 'False', { unschedulable: true })],
  namespaces: [{ metadata: { name: 'web' } }, { metadata: { name: 'apps' } }],
  deployments: [deploy('apps', 'placemyparents', 3, 3), deploy('apps', 'api-server', 1, 0)],
  pods: tallyPods([running('apps', 'placemyparents-a'), running('apps', 'placemyparents-b'), crashing, pending]),
});

test('nodes carry readiness, arch, roles, capacity and allocatable, sorted by name', () => {
  assert.equal(summary.nodes.map((n) => [n.name, n.ready, n.status]), [['pi-1', true, 'Ready'], ['pi-2', true, 'Ready'], ['pi-3', false, 'NotReady,SchedulingDisabled']]);
  assert.equal(summary.nodes[0]!.capacity, { cpu: '4', memory: '8Gi', pods: '110' });
  assert.is(summary.nodes[0]!.arch, 'arm64');
  assert.equal(summary.nodes[0]!.roles, ['worker']);
  assert.is(summary.allocatable.cpuCores, 10.5);
  assert.is(summary.allocatable.memoryBytes, 21 * 2 ** 30);
});

test('workloads, pods by phase and the unhealthy pods are counted', () => {
  assert.equal(summary.workloads.map((w) => `${w.name} ${w.ready}/${w.desired}`), ['api-server 0/1', 'placemyparents 3/3']);
  assert.equal(summary.pods, { total: 4, byPhase: { Running: 3, Pending: 1 } });
  assert.equal(summary.unhealthy.map((f) => f.reason), ['CrashLoopBackOff', 'Pending']);
  assert.equal(summary.namespaces, ['apps', 'web']);
});

test('the status reads as a few lines a person understands', () => {
  const lines = statusLines(summary);
  assert.is(lines.length, 5);
  assert.is(lines[0], 'Nodes: 2/3 ready (arm64): pi-1, pi-2, pi-3 — 10.5 CPU, 21 GiB memory allocatable; attention: pi-3 NotReady,SchedulingDisabled');
  assert.is(lines[1], 'Namespaces (2): apps, web');
  assert.is(lines[2], 'Deployments: 1/2 fully ready; not ready: apps/api-server 0/1');
  assert.is(lines[3], 'Pods: 4 — 3 Running, 1 Pending');
  assert.is(lines[4], 'Unhealthy pods (2): apps/api-server-7d9f4-x2k1p CrashLoopBackOff (12 restarts, last exit Error code 1), apps/big-0 Pending (0/3 nodes are available: 3 Insufficient memory.)');
});

test('an empty cluster still reads sensibly', () => {
  const lines = statusLines(summariseCluster({ nodes: [], namespaces: [], deployments: [], pods: tallyPods([]) }));
  assert.equal(lines, ['Nodes: none registered', 'Namespaces: none', 'Deployments: 0/0 fully ready', 'Pods: 0', 'Unhealthy pods: none']);
});

test.run();
