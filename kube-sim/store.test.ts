import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectStore, KubeStatusError, type KubeObject, type StoreEvent } from './store.js';

const pod = (name: string, labels: Record<string, string> = {}, ns = 'apps'): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: ns, labels } as KubeObject['metadata'],
  spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' },
});

function codeOf(fn: () => unknown): number | undefined {
  try { fn(); } catch (err) { if (err instanceof KubeStatusError) return err.code; throw err; }
  return undefined;
}

test('create fills uid, resourceVersion, creationTimestamp and generation; a second create is 409 AlreadyExists', () => {
  const store = new ObjectStore();
  const made = store.create('pods', pod('a'));
  assert.ok(made.metadata.uid);
  assert.is(made.metadata.generation, 1);
  assert.match(made.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.is(codeOf(() => store.create('pods', pod('a'))), 409);
});

test('generateName appends five random characters', () => {
  const store = new ObjectStore();
  const made = store.create('jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'review-', namespace: 'ci' }, spec: {} });
  assert.match(made.metadata.name, /^review-[a-z0-9]{5}$/);
  assert.is(made.metadata.namespace, 'ci');
});

test('objects are copied in and out', () => {
  const store = new ObjectStore();
  const made = store.create('pods', pod('a', { app: 'a' }));
  made.metadata.labels = { changed: 'yes' };
  assert.equal(store.mustGet('pods', 'apps', 'a').metadata.labels, { app: 'a' });
});

test('update with a stale resourceVersion is 409 Conflict; spec changes bump generation, status does not', () => {
  const store = new ObjectStore();
  const made = store.create('deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'apps' }, spec: { replicas: 1 } });
  const updated = store.update('deployments', { ...made, spec: { replicas: 2 } });
  assert.is(updated.metadata.generation, 2);
  assert.is(codeOf(() => store.update('deployments', { ...made, spec: { replicas: 3 } })), 409);
  const statused = store.update('deployments', { ...updated, status: { replicas: 2 } }, { subresource: 'status' });
  assert.is(statused.metadata.generation, 2);
  assert.equal(statused.status, { replicas: 2 });
  const mainIgnoresStatus = store.update('deployments', { ...statused, status: { replicas: 9 } });
  assert.equal(mainIgnoresStatus.status, { replicas: 2 });
});

test('list filters by namespace, label and field selectors', () => {
  const store = new ObjectStore();
  store.create('pods', pod('a', { tier: 'web', app: 'a' }));
  store.create('pods', pod('b', { tier: 'db' }));
  store.create('pods', pod('c', { tier: 'web' }, 'web'));
  const names = (opts: Parameters<ObjectStore['list']>[1]) => store.list('pods', opts).items.map((p) => p.metadata.name);
  assert.equal(names({}), ['a', 'b', 'c']);
  assert.equal(names({ namespace: 'apps' }), ['a', 'b']);
  assert.equal(names({ labelSelector: 'tier=web' }), ['a', 'c']);
  assert.equal(names({ labelSelector: 'tier in (db, web),app' }), ['a']);
  assert.equal(names({ labelSelector: 'tier!=web' }), ['b']);
  assert.equal(names({ labelSelector: '!app' }), ['b', 'c']);
  assert.equal(names({ labelSelector: 'tier notin (web)' }), ['b']);
  assert.equal(names({ fieldSelector: 'metadata.name=b' }), ['b']);
  assert.equal(names({ fieldSelector: 'metadata.namespace!=apps,status.phase=Running' }), ['c']);
  assert.is(codeOf(() => store.list('pods', { labelSelector: 'a in (' })), 400);
});

test('listPage reads a list in pages that join up to the whole list, within a namespace and under a selector too', () => {
  const store = new ObjectStore();
  for (const ns of ['app', 'apps', 'apps-2', 'web']) {
    for (let i = 0; i < 7; i++) store.create('pods', pod(`p${i}`, { tier: i % 2 ? 'odd' : 'even' }, ns));
  }
  const names = (items: readonly KubeObject[]) => items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
  for (const opts of [{}, { namespace: 'apps' }, { labelSelector: 'tier=odd' }, { namespace: 'apps-2', labelSelector: 'tier=even' }]) {
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = store.listPage('pods', opts, { limit: 3, ...(after !== undefined ? { after } : {}) });
      pages.push(names(page.items));
      if (page.last === undefined) break;
      after = page.last;
    }
    assert.equal(pages.flat(), names(store.listShared('pods', opts).items), JSON.stringify(opts));
    assert.ok(pages.slice(0, -1).every((p) => p.length === 3), JSON.stringify(opts));
  }
  const first = store.listPage('pods', { namespace: 'apps' }, { limit: 3 });
  assert.is(first.remaining, 4);
  assert.is(store.listPage('pods', { labelSelector: 'tier=odd' }, { limit: 3 }).remaining, undefined);
  const whole = store.listPage('pods', { namespace: 'apps' }, { limit: 7 });
  assert.equal({ n: whole.items.length, last: whole.last }, { n: 7, last: undefined });
});

test('delete is 404 when absent and cascades to dependents by owner uid', () => {
  const store = new ObjectStore();
  const rs = store.create('replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'apps' }, spec: {} });
  const owned = pod('rs-1');
  owned.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: rs.metadata.uid, controller: true }];
  store.create('pods', owned);
  store.create('pods', pod('other'));
  store.delete('replicasets', 'apps', 'rs');
  assert.equal(store.list('pods').items.map((p) => p.metadata.name), ['other']);
  assert.is(codeOf(() => store.delete('pods', 'apps', 'rs-1')), 404);
  try { store.mustGet('pods', 'apps', 'gone'); } catch (err) {
    assert.instance(err, KubeStatusError);
    assert.equal((err as KubeStatusError).toStatus().message, 'pods "gone" not found');
  }
});

test('watch replays from a resourceVersion and turns selector moves into ADDED/DELETED', () => {
  const store = new ObjectStore();
  const a = store.create('pods', pod('a', { tier: 'web' }));
  const from = store.resourceVersion();
  store.mutate('pods', 'apps', 'a', (o) => { o.metadata.labels = { tier: 'db' }; });
  const seen: string[] = [];
  const stop = store.watch('pods', { labelSelector: 'tier=web', sinceResourceVersion: from }, (ev: StoreEvent) => seen.push(`${ev.type} ${ev.object.metadata.name}`));
  store.mutate('pods', 'apps', 'a', (o) => { o.metadata.labels = { tier: 'web' }; });
  store.delete('pods', 'apps', 'a');
  stop();
  store.create('pods', pod('late', { tier: 'web' }));
  assert.equal(seen, ['DELETED a', 'ADDED a', 'DELETED a']);
  assert.ok(a.metadata.uid);
});

test('onChange sees every resource in order, also changes made by listeners', () => {
  const store = new ObjectStore();
  const seen: string[] = [];
  store.onChange((ev) => {
    seen.push(`${ev.type} ${ev.resource}/${ev.object.metadata.name}`);
    if (ev.resource === 'deployments' && ev.type === 'ADDED') store.create('replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'd-1', namespace: 'apps' } });
  });
  store.create('deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'apps' } });
  assert.equal(seen, ['ADDED deployments/d', 'ADDED replicasets/d-1']);
});

test('deleting a namespace shows it Terminating, then removes it with everything in it', async () => {
  const store = new ObjectStore({ namespaceCleanupMs: 0 });
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  store.create('pods', pod('a'));
  const marked = store.delete('namespaces', undefined, 'apps');
  assert.equal(marked.status, { phase: 'Terminating' });
  assert.ok(marked.metadata.deletionTimestamp);
  while (store.get('namespaces', undefined, 'apps')) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(store.list('pods').items, []);
});

test.run();
