/**
 * kube-get, kube-events and kube-top against kube-sim, cross-checked with the real kubectl on the same cluster: what
 * the tool says is what `kubectl get`, `describe` and `top` show. Secrets are refused before any API call; output is capped.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { startHomeLab } from '../../testing/home-lab.js';
import { callerFor, tempHome, writeKubeconfig, type StepAnswer } from '../../testing/read-tool-harness.js';
import * as kubeGet from '../../functions/kube-get/handler.js';
import * as kubeEvents from '../../functions/kube-events/handler.js';
import * as kubeTop from '../../functions/kube-top/handler.js';
import type { KubeGetData } from '../../functions/kube-get/handler.js';
import type { KubeEventsData } from '../../functions/kube-events/handler.js';
import type { KubeTopData } from '../../functions/kube-top/handler.js';

const lab = await startHomeLab();

/** A proxy in front of kube-sim that records every path asked for, and answers 404 for the paths `block` matches. */
const seen: string[] = [];
let block: RegExp | undefined;
const proxy = http.createServer((req, res) => {
  seen.push(req.url ?? '');
  if (block?.test(req.url ?? '')) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404,"message":"the server could not find the requested resource"}'); return; }
  const up = http.request(new URL(req.url ?? '/', lab.sim.url), { method: req.method, headers: { ...req.headers, authorization: `Bearer ${lab.sim.token}` } }, (r) => { res.writeHead(r.statusCode ?? 502, r.headers); r.pipe(res); });
  req.pipe(up);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxied = writeKubeconfig(tempHome(), `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);

const get = callerFor(kubeGet, lab.kubeconfig);
const events = callerFor(kubeEvents, lab.kubeconfig);
const top = callerFor(kubeTop, lab.kubeconfig);
const data = <T>(r: StepAnswer) => r.data.data as T;

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', lab.kubeconfig, ...args], { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
  });
}
const names = (text: string) => text.trim().split('\n').filter(Boolean).sort();
const objects = (d: KubeGetData) => d.objects.map((o) => (o.namespace ? `${o.namespace}/${o.name}` : o.name)).sort();

test('kube-get deploy lists what kubectl get deploy -A lists, with the same READY column', async () => {
  const r = await get({ kind: 'deploy' });
  assert.is(r.status, 200, JSON.stringify(r.data));
  const d = data<KubeGetData>(r);
  assert.is(d.resource, 'deployments.apps');
  assert.equal(objects(d), names(await kubectl('get', 'deploy', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}')));
  const ready = (await kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '--no-headers')).trim().split(/\s+/)[1];
  assert.match(r.data.summary ?? '', new RegExp(`\\napps\\s+placemyparents\\s+${ready}\\s`));
});

test('short names, label and field selectors narrow exactly as they do for kubectl', async () => {
  const byLabel = data<KubeGetData>(await get({ kind: 'po', namespace: 'apps', labelSelector: 'app=placemyparents' }));
  assert.equal(objects(byLabel), names(await kubectl('get', 'po', '-n', 'apps', '-l', 'app=placemyparents', '-o', 'jsonpath={range .items[*]}apps/{.metadata.name}{"\\n"}{end}')));
  assert.is(byLabel.objects.length, 3);
  const byField = data<KubeGetData>(await get({ kind: 'pods', fieldSelector: 'spec.nodeName=pi-2' }));
  assert.equal(objects(byField), names(await kubectl('get', 'pods', '-A', '--field-selector', 'spec.nodeName=pi-2', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}')));
  assert.ok(byField.objects.length > 0);
  const cms = data<KubeGetData>(await get({ kind: 'cm', namespace: 'apps' }));
  assert.equal(objects(cms), names(await kubectl('get', 'cm', '-n', 'apps', '-o', 'jsonpath={range .items[*]}apps/{.metadata.name}{"\\n"}{end}')));
});

test('a CRD and its custom resources are found through discovery; a custom kind outside the readable set is refused by name', async () => {
  await kubectl('apply', '-f', 'kube-sim/crd/testdata/monitor-crd.yaml');
  const crds = data<KubeGetData>(await get({ kind: 'crd' }));
  assert.equal(objects(crds), names(await kubectl('get', 'crd', '-o', 'name')).map((n) => n.replace(/^.*\//, '')));
  assert.ok(crds.objects.some((o) => o.name === 'monitors.ganglion.dev'));
  const mons = await get({ kind: 'monitors' });
  assert.is(mons.status, 200, JSON.stringify(mons.data));
  assert.is(data<KubeGetData>(mons).resource, 'monitors.ganglion.dev');
  const widget = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } };
  await new Promise<void>((resolve, reject) => { const p = execFile('kubectl', ['--kubeconfig', lab.kubeconfig, 'apply', '-f', '-'], (err) => (err ? reject(err) : resolve())); p.stdin?.end(JSON.stringify(widget)); });
  const refused = await get({ kind: 'widgets' });
  assert.is(refused.status, 403);
  assert.is(refused.data.error?.code, 'kind_not_readable');
  assert.match(refused.data.error?.message ?? '', /^I can't read widgets\.example\.com yet: kube-get is granted only the kinds listed in functions\/kube-get\/readable\.ts/);
});

test('describe tells what kubectl describe tells: replicas, image, conditions and the object\'s events', async () => {
  const r = await get({ kind: 'deployment', name: 'placemyparents', namespace: 'apps', describe: true });
  assert.is(r.status, 200, JSON.stringify(r.data));
  const mine = r.data.summary ?? '';
  const theirs = await kubectl('describe', 'deployment', 'placemyparents', '-n', 'apps');
  const replicas = /Replicas:\s+(.+)/.exec(theirs)?.[1]?.trim();
  assert.ok(replicas && mine.includes(`Replicas:           ${replicas}`), `${replicas}\n${mine}`);
  assert.is(/Image:\s+(\S+)/.exec(mine)?.[1], /Image:\s+(\S+)/.exec(theirs)?.[1]);
  for (const type of ['Available', 'Progressing']) {
    const status = (text: string) => new RegExp(`\\n\\s+${type}\\s+(True|False)`).exec(text)?.[1];
    assert.is(status(mine), status(theirs), type);
  }
  assert.match(theirs, /ScalingReplicaSet/);
  assert.match(mine, /Normal\s+ScalingReplicaSet/);
  const node = await get({ kind: 'node', name: 'pi-2', describe: true });
  assert.match(node.data.summary ?? '', /MemoryPressure\s+False\s+KubeletHasSufficientMemory/);
});

test('Secrets are refused before any API call, however they are named, and never appear in a listing of every kind', async () => {
  const via = callerFor(kubeGet, proxied);
  for (const kind of ['secrets', 'secret', 'Secret', 'SECRETS', 'secrets.v1']) {
    seen.length = 0;
    const r = await via({ kind, namespace: 'apps' });
    assert.is(r.status, 403, kind);
    assert.is(r.data.error?.code, 'secrets_denied', kind);
    assert.match(r.data.error?.message ?? '', /^I can't show Secrets: Ganglion never reads Secrets, not even their names/);
    assert.equal(seen.filter((p) => /secrets/.test(p)), [], kind);
  }
  // the kind resolved through discovery ("Secret" is also the kind's name) is refused too, after discovery only
  seen.length = 0;
  const r = await via({ kind: 'secret', name: 'placemyparents-db' });
  assert.is(r.status, 403);
  assert.equal(seen.filter((p) => /secrets/.test(p)), []);
});

test('a long list is capped at 200 lines with a marker saying how much was left out', async () => {
  await kubectl('create', 'namespace', 'many');
  const cms = Array.from({ length: 260 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(3, '0')}`, namespace: 'many' }, data: { k: 'v' } }));
  await new Promise<void>((resolve, reject) => { const p = execFile('kubectl', ['--kubeconfig', lab.kubeconfig, 'apply', '-f', '-'], { maxBuffer: 1 << 24 }, (err) => (err ? reject(err) : resolve())); p.stdin?.end(cms.map((c) => stringify(c)).join('---\n')); });
  const r = await get({ kind: 'configmaps', namespace: 'many' });
  const d = data<KubeGetData>(r);
  const count = names(await kubectl('get', 'cm', '-n', 'many', '-o', 'name')).length;
  assert.is(d.objects.length, count, 'every object is counted');
  assert.is(d.text.split('\n').length, 201, '200 lines and the marker');
  assert.is(d.trimmed.lines, count + 1 - 200, 'the header and 199 rows shown');
  assert.match(d.text, /\n\[… trimmed: 61 more lines \(\d+ bytes\) not shown; narrow it with a namespace, a name, or a label or field selector\]$/);
  assert.ok(Buffer.byteLength(r.data.summary ?? '') < 17 * 1024);
});

test('kube-events for a Deployment shows its pods\' and ReplicaSets\' events as kubectl lists them, newest first', async () => {
  const r = await events({ name: 'api-server', namespace: 'apps' });
  assert.is(r.status, 200, JSON.stringify(r.data));
  const d = data<KubeEventsData>(r);
  const theirs = names(await kubectl('get', 'events', '-n', 'apps', '-o', 'jsonpath={range .items[*]}{.involvedObject.name} {.reason}{"\\n"}{end}')).filter((l) => /^api-server[- ]/.test(l));
  assert.equal([...new Set(d.events.map((e) => `${e.object.split('/')[1]} ${e.reason}`))].sort(), [...new Set(theirs)].sort());
  assert.ok(d.events.some((e) => e.reason === 'BackOff' && e.type === 'Warning'));
  const times = d.events.map((e) => Date.parse(e.at));
  assert.equal(times, [...times].sort((a, b) => b - a));
  assert.not.ok(d.events.some((e) => /image-resizer|placemyparents/.test(e.object)), 'nothing about other objects');
});

test('kube-events since a window keeps only what was seen within it', async () => {
  const all = data<KubeEventsData>(await events({}));
  const recent = data<KubeEventsData>(await events({ sinceSeconds: 3600 }));
  assert.is(recent.matched, all.matched, 'every event of a fresh cluster is from the last hour');
  const cut = Date.now() - 1000;
  await new Promise((r) => setTimeout(r, 1100));
  const none = data<KubeEventsData>(await events({ sinceSeconds: 1, name: 'legacy-backup' }));
  assert.ok(none.events.every((e) => Date.parse(e.at) >= cut), 'nothing older than the window');
  const r = await events({ sinceSeconds: 3600, namespace: 'nope' });
  assert.is(r.status, 404);
  assert.match(r.data.error?.message ?? '', /namespace "nope" does not exist/);
});

const cols = (text: string, name: string) => text.split('\n').find((l) => l.split(/\s+/)[0] === name)?.trim().split(/\s+/);

test('kube-top pods gives the figures kubectl top pods gives, heaviest by memory first', async () => {
  const d = data<KubeTopData>(await top({ what: 'pods', namespace: 'web' }));
  assert.ok(d.metrics);
  const theirs = await kubectl('top', 'pods', '-n', 'web');
  for (const row of d.rows) assert.equal(cols(theirs, row.name)?.slice(1), [`${row.cpuMillis}m`, `${row.memoryMi}Mi`], row.name);
  assert.is(d.rows.length, theirs.trim().split('\n').length - 1);
  const mem = d.rows.map((r) => r.memoryMi);
  assert.equal(mem, [...mem].sort((a, b) => b - a));
});

test('kube-top nodes names the node under memory pressure that kubectl shows, with kubectl top\'s percentages', async () => {
  lab.sim.store.mutate('nodes', undefined, 'pi-2', (o) => {
    const status = o.status as { conditions: { type: string; status: string; reason: string }[] };
    status.conditions = status.conditions.map((c) => (c.type === 'MemoryPressure' ? { ...c, status: 'True', reason: 'KubeletHasInsufficientMemory' } : c));
  });
  const r = await top({ what: 'nodes' });
  const d = data<KubeTopData>(r);
  const jsonpath = '{range .items[*]}{.metadata.name} {range .status.conditions[?(@.status=="True")]}{.type},{end}{"\\n"}{end}';
  const pressured = (await kubectl('get', 'nodes', '-o', `jsonpath=${jsonpath}`)).split('\n').filter((l) => /MemoryPressure/.test(l)).map((l) => l.split(' ')[0]);
  assert.equal(d.underPressure.map((p) => p.name), pressured);
  assert.equal(pressured, ['pi-2']);
  assert.match(r.data.summary ?? '', /^3 nodes: under pressure: pi-2 \(MemoryPressure\)/);
  const theirs = await kubectl('top', 'nodes');
  for (const row of d.rows) assert.equal(cols(theirs, row.name)?.[2], `${row.cpuPercent}%`, row.name);
});

test('where the cluster serves no metrics.k8s.io, kube-top says so and still names the pressured nodes', async () => {
  block = /metrics\.k8s\.io/;
  try {
    const nodes = await callerFor(kubeTop, proxied)({ what: 'nodes' });
    assert.is(nodes.status, 200, JSON.stringify(nodes.data));
    assert.not.ok(data<KubeTopData>(nodes).metrics);
    assert.match(nodes.data.summary ?? '', /under pressure: pi-2 \(MemoryPressure\); the cluster serves no metrics\.k8s\.io API \(install metrics-server/);
    const pods = await callerFor(kubeTop, proxied)({ what: 'pods' });
    assert.match(pods.data.summary ?? '', /^No pod usage: the cluster serves no metrics\.k8s\.io API/);
  } finally {
    block = undefined;
  }
});

test.after(async () => {
  proxy.close();
  await lab.sim.stop();
});

test.run();
