import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject, ObjectStore } from '../store.js';
import { containerState, podsOf, testCluster, until } from './testing/test-cluster.js';

const { store, controllers } = await testCluster('home-lab');

interface Template { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } }
const rsOf = (s: ObjectStore) => s.list('replicasets', { namespace: 'apps', labelSelector: 'app=placemyparents' }).items;
const revision = (o: KubeObject) => o.metadata.annotations?.['deployment.kubernetes.io/revision'];
const replicas = (rs: KubeObject) => (rs.spec as { replicas: number }).replicas;
const image = (o: KubeObject) => ((o.spec as { template: Template }).template.spec.containers[0].image);

function setImage(tag: string): void {
  store.mutate('deployments', 'apps', 'placemyparents', (d) => {
    (d.spec as { template: Template }).template.spec.containers[0].image = `registry.local/placemyparents:${tag}`;
  });
}

/** kubectl rollout status's "done" test (rollout_status.go). */
function rolledOut(): boolean {
  const d = store.get('deployments', 'apps', 'placemyparents');
  if (!d) return false;
  const s = (d.status ?? {}) as { observedGeneration?: number; updatedReplicas?: number; replicas?: number; availableReplicas?: number };
  const want = (d.spec as { replicas: number }).replicas;
  return (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
}

test('setting image 2.0 rolls out a new ReplicaSet (revision 3, after the scenario\'s 1.3 and 1.4) and scales the old one to 0 within maxSurge/maxUnavailable', async () => {
  await until('initial rollout', rolledOut);
  let maxPods = 0;
  let minReady = 3;
  const stop = store.onChange((ev) => {
    if (ev.resource !== 'pods') return;
    const live = podsOf(store, 'apps', 'placemyparents').filter((p) => !p.metadata.deletionTimestamp);
    maxPods = Math.max(maxPods, live.length);
    minReady = Math.min(minReady, live.filter((p) => containerState(p).ready).length);
  });
  setImage('2.0');
  await until('rollout of 2.0', () => rolledOut() && rsOf(store).length === 3 && rsOf(store).every((rs) => ((rs.status as { replicas?: number }).replicas ?? 0) === (replicas(rs) ?? 0)));
  stop();
  const [newRs] = rsOf(store).filter((rs) => image(rs).endsWith(':2.0'));
  const [oldRs] = rsOf(store).filter((rs) => image(rs).endsWith(':1.4'));
  assert.is(revision(newRs), '3');
  assert.is(replicas(newRs), 3);
  assert.is(replicas(oldRs), 0);
  assert.is(revision(store.mustGet('deployments', 'apps', 'placemyparents')), '3');
  // 25% surge of 3 = 1 extra pod; 25% unavailable of 3 = 0
  assert.ok(maxPods <= 4, `at most 4 pods at once, saw ${maxPods}`);
  assert.is(minReady, 3);
  const events = store.list('events', { namespace: 'apps' }).items.filter((e) => e.reason === 'ScalingReplicaSet').map((e) => String(e.message));
  assert.ok(events.some((m) => m.startsWith(`Scaled up replica set ${newRs.metadata.name} from 0 to 1`)));
  assert.ok(events.some((m) => m.startsWith(`Scaled down replica set ${oldRs.metadata.name}`)));
});

test('a tag missing from the registry stalls the rollout until ProgressDeadlineExceeded, old pods stay ready', async () => {
  setImage('2.1-broken');
  const d = await until('progress deadline', () => {
    const dep = store.get('deployments', 'apps', 'placemyparents');
    const progressing = ((dep?.status as { conditions?: { type: string; reason: string; status: string }[] })?.conditions ?? []).find((c) => c.type === 'Progressing');
    return progressing?.reason === 'ProgressDeadlineExceeded' && progressing.status === 'False' && dep;
  });
  assert.is(revision(d), '4');
  const pods = podsOf(store, 'apps', 'placemyparents');
  assert.is(pods.filter((p) => containerState(p).ready).length, 3);
  assert.ok(pods.some((p) => ['ErrImagePull', 'ImagePullBackOff'].includes(containerState(p).reason ?? '')));
});

test('undo the way kubectl does (template of the previous revision) reuses that ReplicaSet and bumps it to revision 5', async () => {
  const sets = rsOf(store);
  const previous = sets.find((rs) => revision(rs) === '3');
  assert.ok(previous);
  const template = structuredClone((previous?.spec as { template: Template }).template);
  delete template.metadata.labels['pod-template-hash'];
  store.mutate('deployments', 'apps', 'placemyparents', (o) => { (o.spec as { template: Template }).template = template; });
  await until('rolled back', () => rolledOut() && podsOf(store, 'apps', 'placemyparents').filter((p) => !p.metadata.deletionTimestamp).length === 3);
  const reused = store.mustGet('replicasets', 'apps', previous?.metadata.name ?? '');
  assert.is(revision(reused), '5');
  assert.is(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '3');
  assert.is(replicas(reused), 3);
  assert.is(rsOf(store).length, 4);
  assert.ok(podsOf(store, 'apps', 'placemyparents').every((p) => ((p.spec as Template['spec']).containers[0].image).endsWith(':2.0')));
});

test('scaling the web tier to 5 gives 5 ready pods per Deployment', async () => {
  for (const name of ['frontend', 'web-proxy']) {
    store.mutate('deployments', 'web', name, (o) => { (o.spec as { replicas: number }).replicas = 5; });
  }
  for (const name of ['frontend', 'web-proxy']) {
    await until(`${name} at 5`, () => podsOf(store, 'web', name).filter((p) => containerState(p).ready && !p.metadata.deletionTimestamp).length === 5);
    await until(`${name} status`, () => (store.get('deployments', 'web', name)?.status as { readyReplicas?: number })?.readyReplicas === 5);
  }
  store.mutate('deployments', 'web', 'frontend', (o) => { (o.spec as { replicas: number }).replicas = 1; });
  await until('frontend back to 1', () => podsOf(store, 'web', 'frontend').length === 1);
});

test('a paused Deployment creates no ReplicaSet for a new template until it is resumed', async () => {
  const before = rsOf(store).length;
  store.mutate('deployments', 'apps', 'placemyparents', (o) => { (o.spec as { paused: boolean }).paused = true; });
  setImage('1.4');
  await until('observed', () => {
    const d = store.get('deployments', 'apps', 'placemyparents');
    return d && (d.status as { observedGeneration?: number }).observedGeneration === d.metadata.generation;
  });
  await controllers.settle();
  assert.is(rsOf(store).length, before);
  store.mutate('deployments', 'apps', 'placemyparents', (o) => { (o.spec as { paused: boolean }).paused = false; });
  await until('resumed rollout of 1.4', () => rolledOut() && podsOf(store, 'apps', 'placemyparents').every((p) => ((p.spec as Template['spec']).containers[0].image).endsWith(':1.4')));
  assert.is(revision(store.mustGet('deployments', 'apps', 'placemyparents')), '6');
});

test('revisionHistoryLimit trims old idle ReplicaSets', async () => {
  store.mutate('deployments', 'apps', 'placemyparents', (o) => { (o.spec as { revisionHistoryLimit: number }).revisionHistoryLimit = 1; });
  await until('trimmed to 2 ReplicaSets', () => rsOf(store).length === 2);
  assert.ok(rsOf(store).some((rs) => revision(rs) === '6'));
});

test.after(async () => { await controllers.stop(); });
test.run();
