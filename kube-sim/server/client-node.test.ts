import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import {
  ApiException, AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, Log, PatchStrategy, Watch, makeInformer, setHeaderOptions, type V1ConfigMap, type V1Pod,
} from '@kubernetes/client-node';
import { startSampleServer, type SampleServer } from './sample-cluster.js';

let sim: SampleServer;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let batch: BatchV1Api;

test.before(async () => {
  sim = await startSampleServer();
  kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  batch = kc.makeApiClient(BatchV1Api);
});
test.after(async () => {
  await sim.close();
});

async function failure(call: () => Promise<unknown>): Promise<{ code: number; status: { reason: string; message: string } }> {
  try {
    await call();
  } catch (err) {
    if (err instanceof ApiException) return { code: err.code, status: typeof err.body === 'string' ? JSON.parse(err.body) : { reason: String(err.message), message: '' } };
    throw err;
  }
  throw new Error('the call succeeded');
}

const podBody = (name: string): V1Pod => ({ metadata: { name, labels: { app: 'probe' } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } });

test('lists pods across namespaces and by label and field selectors', async () => {
  const all = await core.listPodForAllNamespaces();
  assert.is(all.items.length, 6);
  const web = await core.listPodForAllNamespaces({ labelSelector: 'tier=web' });
  assert.equal(web.items.map((p) => p.metadata?.name), ['placemyparents-7d9f4-x2k1p']);
  const pending = await core.listNamespacedPod({ namespace: 'web', fieldSelector: 'status.phase=Pending' });
  assert.equal(pending.items.map((p) => p.metadata?.name), ['big-job-7e8f9']);
  assert.instance(all.items[0].metadata?.creationTimestamp, Date);
});

test('reads a pod; a missing one is ApiException 404 with a NotFound Status', async () => {
  const pod = await core.readNamespacedPod({ name: 'api-server-5c6b7-q8w9e', namespace: 'apps' });
  assert.is(pod.status?.containerStatuses?.[0].restartCount, 7);
  const missing = await failure(() => core.readNamespacedPod({ name: 'nope', namespace: 'apps' }));
  assert.is(missing.code, 404);
  assert.equal([missing.status.reason, missing.status.message], ['NotFound', 'pods "nope" not found']);
});

test('creates with generateName (201), and a second create of the same name is 409 AlreadyExists', async () => {
  const made = await core.createNamespacedPod({ namespace: 'web', body: { ...podBody(''), metadata: { generateName: 'probe-' } } });
  assert.match(made.metadata?.name ?? '', /^probe-[a-z0-9]{5}$/);
  await core.createNamespacedPod({ namespace: 'web', body: podBody('fixed') });
  const again = await failure(() => core.createNamespacedPod({ namespace: 'web', body: podBody('fixed') }));
  assert.is(again.code, 409);
  assert.is(again.status.reason, 'AlreadyExists');
});

test('an invalid object is 422 Invalid naming the field; an unknown namespace is 404', async () => {
  const bad = await failure(() => core.createNamespacedPod({ namespace: 'web', body: { metadata: { name: 'Bad_Name' }, spec: { containers: [] } } }));
  assert.is(bad.code, 422);
  assert.match(bad.status.message, /^Pod "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.match(bad.status.message, /spec.containers: Required value/);
  const nowhere = await failure(() => core.createNamespacedPod({ namespace: 'nowhere', body: podBody('x') }));
  assert.equal([nowhere.code, nowhere.status.message], [404, 'namespaces "nowhere" not found']);
});

test('a stale resourceVersion on replace is 409 Conflict', async () => {
  const current = await apps.readNamespacedDeployment({ name: 'placemyparents', namespace: 'apps' });
  const fresh = await apps.replaceNamespacedDeployment({ name: 'placemyparents', namespace: 'apps', body: { ...current, spec: { ...current.spec!, replicas: 4 } } });
  assert.is(fresh.spec?.replicas, 4);
  assert.is(fresh.metadata?.generation, 2);
  const stale = await failure(() => apps.replaceNamespacedDeployment({ name: 'placemyparents', namespace: 'apps', body: current }));
  assert.is(stale.code, 409);
  assert.is(stale.status.reason, 'Conflict');
  assert.match(stale.status.message, /Operation cannot be fulfilled on deployments.apps "placemyparents": the object has been modified/);
});

test('patches with JSON patch (the default), merge patch, strategic merge and server-side apply', async () => {
  const ns = 'apps';
  const name = 'placemyparents';
  await apps.patchNamespacedDeployment({ name, namespace: ns, body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] });
  assert.is((await apps.readNamespacedDeployment({ name, namespace: ns })).spec?.replicas, 2);

  await apps.patchNamespacedDeployment({ name, namespace: ns, body: { metadata: { labels: { tier: 'web' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  assert.is((await apps.readNamespacedDeployment({ name, namespace: ns })).metadata?.labels?.tier, 'web');

  const strategic = { spec: { template: { spec: { containers: [{ name: 'placemyparents', image: 'registry.local/placemyparents:2.0', env: [{ name: 'DEBUG', value: '1' }] }] } } } };
  const patched = await apps.patchNamespacedDeployment({ name, namespace: ns, body: strategic }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
  const container = patched.spec?.template.spec?.containers[0];
  assert.is(container?.image, 'registry.local/placemyparents:2.0');
  assert.equal(container?.env?.map((e) => e.name), ['MODE', 'DEBUG']);
  assert.equal(container?.ports?.map((p) => p.containerPort), [8080]);

  const applied = await core.patchNamespacedConfigMap({ name: 'applied', namespace: ns, fieldManager: 'ganglion', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1' } } },
    setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply));
  assert.equal(applied.data, { a: '1' });
});

test('a patch with another content type is 415 with the API server\'s message', async () => {
  const wrong = await failure(() => apps.patchNamespacedDeployment({ name: 'placemyparents', namespace: 'apps', body: { spec: {} } }, setHeaderOptions('Content-Type', 'application/json')));
  assert.is(wrong.code, 415);
  assert.is(wrong.status.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json');
});

test('reads and replaces the scale subresource as autoscaling/v1 Scale', async () => {
  const scale = await apps.readNamespacedDeploymentScale({ name: 'placemyparents', namespace: 'apps' });
  assert.is(scale.status?.selector, 'app=placemyparents');
  await apps.replaceNamespacedDeploymentScale({ name: 'placemyparents', namespace: 'apps', body: { ...scale, spec: { replicas: 6 } } });
  assert.is((await apps.readNamespacedDeployment({ name: 'placemyparents', namespace: 'apps' })).spec?.replicas, 6);
});

test('a Job can be created, its status written through /status, and deleted with Background propagation', async () => {
  const job = await batch.createNamespacedJob({ namespace: 'web', body: { metadata: { name: 'review' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'ganglion-worker:1' }] } } } } });
  assert.is(job.spec?.backoffLimit, 6);
  const done = await batch.replaceNamespacedJobStatus({ name: 'review', namespace: 'web', body: { ...job, status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } } });
  assert.is(done.status?.succeeded, 1);
  const status = await batch.deleteNamespacedJob({ name: 'review', namespace: 'web', propagationPolicy: 'Background' });
  assert.is(status.status, 'Success');
  assert.is((await failure(() => batch.readNamespacedJob({ name: 'review', namespace: 'web' }))).code, 404);
});

test('reads pod logs as text with tailLines and through Log', async () => {
  const text = await core.readNamespacedPodLog({ name: 'api-server-5c6b7-q8w9e', namespace: 'apps', tailLines: 2 });
  assert.is(text, 'api-server-5c6b7-q8w9e line 19\napi-server-5c6b7-q8w9e line 20\n');
  const out = new PassThrough();
  let streamed = '';
  out.on('data', (d) => { streamed += String(d); });
  const ended = new Promise((resolve) => out.on('end', resolve));
  await new Log(kc).log('apps', 'api-server-5c6b7-q8w9e', 'main', out, { tailLines: 1 });
  await ended;
  assert.is(streamed, 'api-server-5c6b7-q8w9e line 20\n');
});

test('Watch streams ADDED, MODIFIED and DELETED from a resourceVersion with a label selector', async () => {
  const list = await core.listNamespacedPod({ namespace: 'web' });
  const seen: string[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  const ctrl = await new Watch(kc).watch('/api/v1/namespaces/web/pods', { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'app=probe' },
    (type, obj: V1Pod) => {
      seen.push(`${type} ${obj.metadata?.name}`);
      if (type === 'DELETED') done();
    }, () => undefined);
  await core.createNamespacedPod({ namespace: 'web', body: podBody('watched') });
  await core.patchNamespacedPod({ name: 'watched', namespace: 'web', body: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }] });
  await core.createNamespacedPod({ namespace: 'web', body: { ...podBody('unlabelled'), metadata: { name: 'unlabelled' } } });
  await core.deleteNamespacedPod({ name: 'watched', namespace: 'web' });
  await finished;
  ctrl.abort();
  assert.equal(seen, ['ADDED watched', 'MODIFIED watched', 'DELETED watched']);
});

test('an informer lists, then follows changes', async () => {
  await core.createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'early' }, data: { a: '0' } } });
  const informer = makeInformer(kc, '/api/v1/namespaces/apps/configmaps', () => core.listNamespacedConfigMap({ namespace: 'apps' }));
  const added: string[] = [];
  let seen: () => void = () => undefined;
  const both = new Promise<void>((resolve) => { seen = resolve; });
  informer.on('add', (cm: V1ConfigMap) => {
    added.push(cm.metadata?.name ?? '');
    if (added.includes('late')) seen();
  });
  await informer.start();
  await core.createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'late' }, data: { a: '1' } } });
  await both;
  await informer.stop();
  assert.ok(added.includes('early'), 'the existing configmap from the list');
  assert.ok(added.includes('late'), 'the new configmap from the watch');
});

test('a wrong bearer token is 401 Unauthorized', async () => {
  const wrong = new KubeConfig();
  wrong.loadFromString(JSON.stringify({
    clusters: [{ name: 'c', cluster: { server: sim.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: 'wrong' } }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  }));
  const denied = await failure(() => wrong.makeApiClient(CoreV1Api).listNamespace());
  assert.is(denied.code, 401);
  const raw = await fetch(`${sim.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer wrong' } });
  assert.is(raw.headers.get('content-type'), 'application/json');
  assert.equal(await raw.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

test.run();
