import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSampleServer, type SampleServer } from './sample-cluster.js';

let sim: SampleServer;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

test.before(async () => {
  sim = await startSampleServer();
});
test.after(async () => {
  await sim.close();
});

interface Named { name: string; metadata: { name: string; namespace?: string } }
interface Body {
  kind: string; gitVersion: string; code: number; reason: string; continue?: string;
  groups: Named[]; resources: (Named & { shortNames: string[]; verbs: string[] })[];
  items: Named[]; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: { name: string; priority: number }[]; rows: { cells: string[]; object: { kind: string; metadata: { namespace: string } } }[];
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${sim.url}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Body };
}

test('/version reports v1.32 and discovery lists groups and resources with verbs, short names and subresources', async () => {
  assert.is((await get('/version')).body.gitVersion, 'v1.32.4');
  const groups = (await get('/apis')).body.groups.map((g) => g.name);
  for (const g of ['apps', 'batch', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'discovery.k8s.io']) assert.ok(groups.includes(g), g);
  const apps = (await get('/apis/apps/v1')).body.resources;
  const deployments = apps.find((r) => r.name === 'deployments');
  assert.equal(deployments?.shortNames, ['deploy']);
  assert.ok(deployments?.verbs.includes('patch'));
  assert.equal(apps.find((r) => r.name === 'deployments/scale'), { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  assert.ok((await get('/api/v1')).body.resources.some((r) => r.name === 'pods/log'));
});

test('unknown paths and resources are 404 Status objects with a Content-Type', async () => {
  for (const path of ['/nope', '/apis/example.com/v1', '/api/v1/namespaces/apps/widgets', '/api/v1/namespaces/apps/pods/x/nonsense']) {
    const res = await get(path);
    assert.is(res.status, 404, path);
    assert.is(res.type, 'application/json');
    assert.is(res.body.kind, 'Status');
  }
});

test('exec and port-forward are refused with a message that says why', async () => {
  const res = await fetch(`${sim.url}/api/v1/namespaces/apps/pods/api-server-5c6b7-q8w9e/exec?command=ls`, { method: 'POST' });
  assert.is(res.status, 400);
  assert.match(((await res.json()) as { message: string }).message, 'kube-sim simulates containers and does not serve exec');
});

test('a list pages with limit and continue, keeping the resourceVersion', async () => {
  const first = await get('/api/v1/pods?limit=4');
  assert.is(first.body.items.length, 4);
  assert.ok(first.body.metadata.continue);
  assert.is(first.body.metadata.remainingItemCount, 2);
  const rest = await get(`/api/v1/pods?limit=4&continue=${first.body.metadata.continue}`);
  assert.is(rest.body.items.length, 2);
  assert.is(rest.body.metadata.continue, undefined);
  const names = [...first.body.items, ...rest.body.items].map((p) => p.metadata.name);
  assert.is(new Set(names).size, 6);
});

test('a Table answer carries column definitions, cells and partial object metadata', async () => {
  const { body } = await get('/api/v1/namespaces/apps/pods', { Accept: TABLE });
  assert.is(body.kind, 'Table');
  assert.equal(body.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
  const row = body.rows.find((r) => r.cells[0] === 'image-resizer-6f7g8-h9j0k');
  assert.equal(row?.cells.slice(0, 4), ['image-resizer-6f7g8-h9j0k', '0/1', 'ImagePullBackOff', '0']);
  assert.is(row?.object.kind, 'PartialObjectMetadata');
  assert.is(row?.object.metadata.namespace, 'apps');
});

test('a bad label selector is 400; an unknown patch type is 415; a stale watch is an ERROR event with 410', async () => {
  assert.is((await get('/api/v1/pods?labelSelector=a%20in%20(')).status, 400);
  const patch = await fetch(`${sim.url}/api/v1/namespaces/apps/pods/x`, { method: 'PATCH', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
  assert.is(patch.status, 415);
  const watch = await fetch(`${sim.url}/api/v1/pods?watch=true&resourceVersion=-5`);
  assert.is(watch.status, 200);
  const line = JSON.parse((await watch.text()).trim()) as { type: string; object: Body };
  assert.equal([line.type, line.object.code, line.object.reason], ['ERROR', 410, 'Expired']);
});

test('a watch answers in Tables when asked, columns only in the first event, and ends at timeoutSeconds', async () => {
  const rv = (await get('/api/v1/namespaces/web/configmaps')).body.metadata.resourceVersion;
  const res = await fetch(`${sim.url}/api/v1/namespaces/web/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=1`, { headers: { Accept: TABLE } });
  for (const name of ['one', 'two']) {
    await fetch(`${sim.url}/api/v1/namespaces/web/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name }, data: { k: 'v' } }) });
  }
  const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: Body });
  assert.equal(events.map((e) => `${e.type} ${e.object.rows[0].cells[0]} ${e.object.rows[0].cells[1]}`), ['ADDED one 1', 'ADDED two 1']);
  assert.ok(events[0].object.columnDefinitions);
  assert.is(events[1].object.columnDefinitions, null);
});

test('a followed log streams what there is and ends when the pod goes away', async () => {
  const res = await fetch(`${sim.url}/api/v1/namespaces/apps/pods/placemyparents-7d9f4-x2k1p/log?follow=true&tailLines=2`);
  assert.is(res.headers.get('content-type'), 'text/plain');
  const reader = res.body?.getReader();
  const first = await reader?.read();
  assert.is(new TextDecoder().decode(first?.value), 'placemyparents-7d9f4-x2k1p line 19\nplacemyparents-7d9f4-x2k1p line 20\n');
  sim.store.delete('pods', 'apps', 'placemyparents-7d9f4-x2k1p');
  let rest = await reader?.read();
  while (rest && !rest.done) rest = await reader?.read();
  assert.ok(rest?.done);
});

test('deletecollection removes what the selector matches', async () => {
  const res = await fetch(`${sim.url}/api/v1/namespaces/web/configmaps?labelSelector=!keep`, { method: 'DELETE' });
  assert.is(res.status, 200);
  assert.equal(((await res.json()) as Body).items.map((c) => c.metadata.name), ['one', 'two']);
  assert.is(sim.store.list('configmaps', { namespace: 'web' }).items.length, 0);
});

test.run();
