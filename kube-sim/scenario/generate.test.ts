import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectStore } from '../store.js';
import { generateCluster } from './generate.js';
import { seedScenario } from './load-scenario.js';
import { startControllers } from '../controllers/index.js';

const scenario = generateCluster({ pods: 1000 });
const pods = scenario.objects.filter((o) => o.kind === 'Pod');
type Status = { phase: string; containerStatuses?: { ready: boolean; state: { waiting?: { reason: string } }; lastState: { terminated?: { reason: string } } }[] };
const reasonOf = (s: Status) => s.containerStatuses?.[0]?.state.waiting?.reason ?? (s.phase === 'Pending' ? 'Unschedulable' : s.containerStatuses?.[0]?.ready ? 'ok' : 'NotReady');

test('a generated 1,000-pod cluster has exactly 1,000 pods over many namespaces, Deployments and nodes', () => {
  assert.is(pods.length, 1000);
  assert.ok(scenario.objects.filter((o) => o.kind === 'Namespace').length >= 10);
  assert.ok(scenario.objects.filter((o) => o.kind === 'Deployment').length >= 100);
  assert.ok(scenario.objects.filter((o) => o.kind === 'Node').length >= 10);
});

test('about 4% of generated pods fail in the usual ways, each with the reason kubectl would show', () => {
  const counts = new Map<string, number>();
  for (const p of pods) {
    const r = reasonOf(p.status as Status);
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const failing = 1000 - (counts.get('ok') ?? 0);
  assert.ok(failing >= 25 && failing <= 60, `failing ${failing}`);
  for (const r of ['CrashLoopBackOff', 'ImagePullBackOff', 'Unschedulable', 'NotReady']) assert.ok((counts.get(r) ?? 0) > 0, r);
  assert.ok(pods.some((p) => (p.status as Status).containerStatuses?.[0]?.lastState.terminated?.reason === 'OOMKilled'));
});

test('the same seed gives the same cluster', () => {
  const again = generateCluster({ pods: 1000 });
  assert.equal(again.objects.map((o) => o.metadata.name), scenario.objects.map((o) => o.metadata.name));
});

test('a seeded generated cluster is already settled: starting the controllers rewrites no pod', async () => {
  const store = new ObjectStore();
  seedScenario(store, scenario);
  let podWrites = 0;
  store.onChange((ev) => { if (ev.resource === 'pods') podWrites++; });
  const controllers = startControllers(store, { timing: { tickMs: 2 } });
  await controllers.settle();
  await controllers.stop();
  assert.is(podWrites, 0);
  assert.is(store.list('pods').items.length, 1000);
  const rs = store.list('replicasets').items;
  assert.ok(rs.every((r) => r.metadata.ownerReferences?.[0].uid));
});

test.run();
