import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeStatusError, type KubeObject } from '../store.js';
import { containerState, podsOf, testCluster, until } from './testing/test-cluster.js';
import { podTemplateHash } from './pod-template-hash.js';

const { store, controllers } = await testCluster('home-lab');
const phase = (p: KubeObject) => (p.status as { phase?: string }).phase;

test('settle() resolves once every pod shows its characteristic state', async () => {
  await controllers.settle();
  const first = (ns: string, app: string) => containerState(podsOf(store, ns, app)[0]);
  assert.ok(podsOf(store, 'apps', 'placemyparents').every((p) => containerState(p).ready));
  assert.ok(first('apps', 'api-server').restarts >= 1);
  assert.is(first('apps', 'api-server').last?.reason, 'Error');
  assert.is(first('apps', 'notifier').reason, 'ImagePullBackOff');
  assert.is(first('apps', 'image-resizer').last?.reason, 'OOMKilled');
  assert.is(first('monitoring', 'grafana').state, 'running');
  assert.is(phase(podsOf(store, 'data', 'batch-analytics')[0]), 'Pending');
});

test('placemyparents runs 3 ready pods spread over the Pi nodes, from a ReplicaSet named after its template hash', async () => {
  const pods = await until('3 ready placemyparents pods', () => {
    const ps = podsOf(store, 'apps', 'placemyparents');
    return ps.length === 3 && ps.every((p) => containerState(p).ready) && ps;
  });
  const rs = store.list('replicasets', { namespace: 'apps', labelSelector: 'app=placemyparents' }).items;
  const current = rs.find((r) => (r.spec as { replicas: number }).replicas === 3);
  assert.ok(current, 'the ReplicaSet of 1.4 runs the 3 replicas');
  assert.match(current.metadata.name, /^placemyparents-[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  assert.is(current.metadata.annotations?.['deployment.kubernetes.io/revision'], '2', '1.4 is the second revision (1.3 came first)');
  for (const p of pods) {
    assert.ok(p.metadata.name.startsWith(`${current.metadata.name}-`));
    assert.is(phase(p), 'Running');
    assert.match(String((p.status as { podIP?: string }).podIP), /^10\.42\./);
  }
  assert.is(new Set(pods.map((p) => (p.spec as { nodeName: string }).nodeName)).size, 3);
  const deploy = await until('deployment status', () => {
    const d = store.get('deployments', 'apps', 'placemyparents');
    return (d?.status as { availableReplicas?: number })?.availableReplicas === 3 && d;
  });
  const conditions = (deploy.status as { conditions: { type: string; reason: string }[] }).conditions;
  assert.equal(conditions.map((c) => `${c.type}=${c.reason}`), ['Available=MinimumReplicasAvailable', 'Progressing=NewReplicaSetAvailable']);
});

test('placemyparents starts with a rollout history: 1.3 as revision 1, scaled to 0 and named after its template hash as the controller names it', async () => {
  const d = await until('placemyparents at revision 2', () => {
    const dep = store.get('deployments', 'apps', 'placemyparents');
    return dep?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && dep;
  });
  const owned = store.list('replicasets', { namespace: 'apps', labelSelector: 'app=placemyparents' }).items
    .filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid && o.controller));
  const byRevision = new Map(owned.map((r) => [r.metadata.annotations?.['deployment.kubernetes.io/revision'], r]));
  assert.equal([...byRevision.keys()].sort(), ['1', '2']);
  const old = byRevision.get('1') as KubeObject;
  const oldSpec = old.spec as { replicas: number; template: { spec: { containers: { image: string }[] } } };
  assert.is(oldSpec.replicas, 0);
  assert.is(oldSpec.template.spec.containers[0]?.image, 'registry.local/placemyparents:1.3');
  assert.is(old.metadata.name, `placemyparents-${podTemplateHash(oldSpec.template)}`);
  assert.is(podsOf(store, 'apps', 'placemyparents').filter((p) => p.metadata.name.startsWith(`${old.metadata.name}-`)).length, 0, 'no pod runs 1.3');
});

test('api-server crash-loops: restart count rises, last termination is Error exit 1, logs end in ECONNREFUSED', async () => {
  const pod = await until('api-server restarted twice', () => podsOf(store, 'apps', 'api-server').find((p) => containerState(p).restarts >= 2));
  const s = containerState(pod);
  assert.is(s.last?.reason, 'Error');
  assert.is(s.last?.exitCode, 1);
  assert.is(phase(pod), 'Running');
  const previous = controllers.logs.read('apps', pod.metadata.name, { previous: true });
  assert.match(previous, /Error: connect ECONNREFUSED 10\.43\.12\.7:5432/);
  assert.match(controllers.logs.read('apps', pod.metadata.name, { previous: true, tailLines: 2 }), /^\nNode\.js v20\.18\.0\n$/);
  const crashing = await until('CrashLoopBackOff', () => podsOf(store, 'apps', 'api-server').find((p) => containerState(p).reason === 'CrashLoopBackOff'));
  assert.ok(crashing);
  const backoff = store.list('events', { namespace: 'apps' }).items.find((e) => e.reason === 'BackOff' && (e.involvedObject as { name: string }).name === pod.metadata.name);
  assert.ok(backoff, 'a BackOff event for the pod');
  assert.is(backoff?.type, 'Warning');
});

test('notifier waits on ImagePullBackOff naming the missing image, and its logs say it is waiting', async () => {
  const pod = await until('ImagePullBackOff', () => podsOf(store, 'apps', 'notifier').find((p) => containerState(p).reason === 'ImagePullBackOff'));
  assert.is(phase(pod), 'Pending');
  const waiting = ((pod.status as { containerStatuses: { state: { waiting: { message: string } } }[] }).containerStatuses[0]).state.waiting;
  assert.match(waiting.message, /registry\.local\/notifier:1\.0\.3/);
  try {
    controllers.logs.read('apps', pod.metadata.name);
    assert.unreachable('logs of a waiting container');
  } catch (err) {
    assert.instance(err, KubeStatusError);
    assert.is((err as KubeStatusError).code, 400);
    assert.match((err as Error).message, `container "notifier" in pod "${pod.metadata.name}" is waiting to start`);
  }
  const failed = store.list('events', { namespace: 'apps' }).items.filter((e) => e.reason === 'Failed' && String(e.message).includes('notifier:1.0.3'));
  assert.ok(failed.length > 0);
});

test('batch-analytics stays Pending with the scheduler message and a FailedScheduling event', async () => {
  const pod = await until('unschedulable pod', () => podsOf(store, 'data', 'batch-analytics').find((p) => (p.status as { conditions?: unknown[] }).conditions));
  const cond = (pod.status as { conditions: { type: string; status: string; reason: string; message: string }[] }).conditions[0];
  assert.is(cond.type, 'PodScheduled');
  assert.is(cond.reason, 'Unschedulable');
  assert.is(cond.message, '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
  assert.is((pod.spec as { nodeName?: string }).nodeName, undefined);
  assert.ok(store.list('events', { namespace: 'data' }).items.some((e) => e.reason === 'FailedScheduling' && e.message === cond.message));
});

test('image-resizer is OOMKilled (exit 137) because it uses more than its 128Mi limit', async () => {
  const pod = await until('OOMKilled', () => podsOf(store, 'apps', 'image-resizer').find((p) => containerState(p).last?.reason === 'OOMKilled'));
  assert.is(containerState(pod).last?.exitCode, 137);
});

test('grafana runs but is not Ready: Unhealthy readiness events and a not-ready endpoint', async () => {
  const pod = await until('grafana running', () => podsOf(store, 'monitoring', 'grafana').find((p) => containerState(p).state === 'running'));
  await until('Unhealthy event', () => store.list('events', { namespace: 'monitoring' }).items.find((e) => e.reason === 'Unhealthy'));
  const latest = store.get('pods', 'monitoring', pod.metadata.name);
  assert.is(containerState(latest ?? pod).ready, false);
  const ep = await until('grafana endpoints', () => store.get('endpoints', 'monitoring', 'grafana')?.subsets);
  assert.is((ep as { addresses?: unknown[]; notReadyAddresses?: unknown[] }[])[0].addresses, undefined);
  assert.is((ep as { notReadyAddresses: unknown[] }[])[0].notReadyAddresses.length, 1);
});

test('nodes report Ready, arm64 and kubelet v1.32; postgres has no endpoints (the missing database)', async () => {
  const nodes = await until('node status', () => {
    const ns = store.list('nodes').items;
    return ns.every((n) => (n.status as { nodeInfo?: unknown }).nodeInfo) && ns;
  });
  assert.equal(nodes.map((n) => n.metadata.name), ['pi-1', 'pi-2', 'pi-3']);
  for (const n of nodes) {
    const s = n.status as { nodeInfo: { architecture: string; kubeletVersion: string }; conditions: { type: string; status: string }[] };
    assert.is(s.nodeInfo.architecture, 'arm64');
    assert.match(s.nodeInfo.kubeletVersion, /^v1\.32\./);
    assert.ok(s.conditions.some((c) => c.type === 'Ready' && c.status === 'True'));
  }
  const ep = await until('postgres endpoints object', () => store.get('endpoints', 'data', 'postgres'));
  assert.is(ep.subsets, undefined);
});

test('a deleted pod shows Terminating, then is gone and its Deployment replaces it', async () => {
  const [victim] = podsOf(store, 'web', 'frontend');
  store.mutate('pods', 'web', victim.metadata.name, (o) => { o.metadata.deletionTimestamp = new Date().toISOString(); });
  await until('victim gone', () => !store.get('pods', 'web', victim.metadata.name));
  const pods = await until('2 ready frontend pods again', () => {
    const ps = podsOf(store, 'web', 'frontend').filter((p) => containerState(p).ready);
    return ps.length === 2 && ps;
  });
  assert.not.ok(pods.some((p) => p.metadata.name === victim.metadata.name));
});

test('log-shipper is an Evicted pod left behind; the db-backup-manual Job completes', async () => {
  const evicted = store.mustGet('pods', 'monitoring', 'log-shipper-5d8f7');
  assert.equal([(evicted.status as { phase: string }).phase, (evicted.status as { reason: string }).reason], ['Failed', 'Evicted']);
  const job = await until('backup job complete', () => {
    const j = store.get('jobs', 'data', 'db-backup-manual');
    return ((j?.status as { conditions?: { type: string }[] })?.conditions ?? []).some((c) => c.type === 'Complete') && j;
  });
  assert.is((job.status as { succeeded: number }).succeeded, 1);
  const [pod] = store.list('pods', { namespace: 'data', labelSelector: 'job-name=db-backup-manual' }).items;
  assert.is(controllers.logs.read('data', pod.metadata.name), 'dumping redis\ndone\n');
});

test('logs honour tailLines, timestamps and unknown pods get 404', () => {
  const [pod] = podsOf(store, 'apps', 'placemyparents');
  const text = controllers.logs.read('apps', pod.metadata.name, { tailLines: 1, timestamps: true });
  assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z .+\n$/);
  try {
    controllers.logs.read('apps', 'nope');
    assert.unreachable();
  } catch (err) {
    assert.is((err as KubeStatusError).code, 404);
  }
});

test.after(async () => { await controllers.stop(); });
test.run();
