import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as apply from './handler.js';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';

let h: Harness;
test.before(async () => { h = await startHarness(apply); });
test.after(async () => { await h.stop(); });

const POD = `apiVersion: v1
kind: Namespace
metadata: {name: qa}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend-test, namespace: qa, labels: {app: frontend-test}}
spec:
  containers: [{name: nginx, image: nginx}]
`;

const changesOf = (res: Awaited<ReturnType<Harness['call']>>) => (res.data.data as { changes: { object: string; field: string; before: unknown; after: unknown }[] }).changes;

test('a dry run of a Namespace and a Pod in it lists both as created, field by field, and creates nothing', async () => {
  const res = await h.call({ manifest: POD, dryRun: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^would apply 2 of 2 objects \(server-side apply, dry run\):\n- create namespace\/qa\n- create pod\/frontend-test \(qa\)/);
  const changes = changesOf(res);
  assert.ok(changes.some((c) => c.object === 'pod/frontend-test' && c.field === 'spec.containers[0].image' && c.after === 'nginx'), JSON.stringify(changes));
  assert.match(await h.kubectl('get', 'namespaces', '-o', 'name'), /^(?![\s\S]*namespace\/qa)/);
});

test('an approved apply carries the preview\'s pin, creates both, and kubectl shows them; the same manifest again changes nothing', async () => {
  const preview = await h.call({ manifest: POD, dryRun: true });
  const diffHash = (preview.data.data as { diffHash: string }).diffHash;
  const res = await h.call({ manifest: POD, diffHash }, { approve: true });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.is(await h.kubectl('get', 'pod', 'frontend-test', '-n', 'qa', '-o', 'jsonpath={.spec.containers[0].image}'), 'nginx');
  assert.match(await h.kubectl('get', 'pod', 'frontend-test', '-n', 'qa', '-o', 'jsonpath={.metadata.managedFields[*].manager}'), /ganglion/);
  const again = await h.call({ manifest: POD, dryRun: true });
  assert.match(again.data.summary ?? '', /^all 2 objects are already as the manifest says; nothing would change/);
  assert.ok(changesOf(again).every((c) => c.before === c.after));
});

test('an update previews exactly the fields the server would change, and a stale pin is refused', async () => {
  const cm = (level: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-settings, namespace: apps}\ndata: {LOG_LEVEL: ${level}}\n`;
  const first = await h.call({ manifest: cm('debug'), dryRun: true });
  await h.call({ manifest: cm('debug'), diffHash: (first.data.data as { diffHash: string }).diffHash }, { approve: true });
  const res = await h.call({ manifest: cm('info'), dryRun: true });
  assert.equal(changesOf(res).map((c) => [c.field, c.before, c.after]), [['data.LOG_LEVEL', 'debug', 'info']]);
  const stale = await h.call({ manifest: cm('info'), diffHash: (first.data.data as { diffHash: string }).diffHash }, { approve: true });
  assert.is(stale.status, 409);
  assert.is(await h.kubectl('get', 'configmap', 'app-settings', '-n', 'apps', '-o', 'jsonpath={.data.LOG_LEVEL}'), 'debug');
});

test('bad input is refused before any preview: unknown kind, wrong field type, Secret, protected namespace, bad YAML', async () => {
  const cases: [string, number, RegExp][] = [
    ['apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n', 400, /^unknown kind Deploymnet: apps\/v1 serves no kind Deploymnet; it serves .*Deployment/],
    ['apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n', 400, /^unknown kind Widget \(example\.com\/v1\): the API server does not serve/],
    ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, namespace: apps}\nspec: {replicas: three, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: nginx}]}}}\n', 400, /^Deployment x: field spec\.replicas must be integer; nothing was changed$/],
    ['apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n', 403, /Secrets are denied/],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-system}\n', 403, /namespace kube-system is protected/],
    ['apiVersion: v1\nkind: StorageClass\nmetadata: {name: x}\n', 400, /^unknown kind StorageClass/],
    ['kind: [oops', 400, /not valid YAML or JSON/],
  ];
  for (const [manifest, status, message] of cases) {
    const res = await h.call({ manifest, dryRun: true });
    assert.is(res.status, status, `${manifest}: ${JSON.stringify(res.data)}`);
    assert.match(res.data.error?.message ?? '', message);
    assert.not.match(JSON.stringify(res.data), /hunter2/);
  }
});

test('a kind the server serves but apply does not handle is named, with the kinds it does', async () => {
  const res = await h.call({ manifest: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x, namespace: apps}\n', dryRun: true });
  assert.is(res.status, 400);
  assert.match(res.data.error?.message ?? '', /^apply can't create or change CronJob \(batch\/v1\) yet; it applies Namespace \(v1\), Pod \(v1\)/);
});

test('a long value is shown by its first characters and its size, not whole', async () => {
  const big = 'x'.repeat(5000);
  const res = await h.call({ manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: apps}\ndata: {file: ${big}}\n`, dryRun: true });
  const file = changesOf(res).find((c) => c.field === 'data.file');
  assert.match(String(file?.after), /^x{160}… \(5000 bytes\)$/);
  assert.ok(JSON.stringify(res.data).length < 4000, `${JSON.stringify(res.data).length} bytes`);
});

test.run();
