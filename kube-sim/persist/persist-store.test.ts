import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectStore } from '../store.js';
import { startKubeSim } from '../index.js';
import { generateCluster } from '../scenario/generate.js';
import { persistStore } from './persist-store.js';
import { loadStoreData } from './load-store-data.js';

const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));
const journals = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('journal-'));

test('a journal grown past its limit is compacted into a snapshot, and loading gives the same store and counter', async () => {
  const dir = tmp('kube-sim-compact-');
  const store = new ObjectStore();
  const persisted = await persistStore(store, dir, { compactBytes: 2_000 });
  const first = persisted.journalFile();
  for (let i = 0; i < 40; i++) store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { i: String(i) } });
  store.mutate('configmaps', 'default', 'cm-3', (o) => { o.data = { i: 'changed' }; });
  store.delete('configmaps', 'default', 'cm-4');
  await persisted.compact();
  store.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'after', namespace: 'default' } });
  await persisted.close();
  assert.is.not(persisted.journalFile(), first);
  assert.equal(journals(dir), [path.basename(persisted.journalFile())]);

  const warnings: string[] = [];
  const state = await loadStoreData(dir, (m) => warnings.push(m));
  assert.ok(state);
  const again = new ObjectStore();
  again.restore(state);
  assert.equal(warnings, []);
  assert.is(again.resourceVersion(), store.resourceVersion());
  assert.equal(again.list('configmaps').items, store.list('configmaps').items);
  assert.equal(again.get('configmaps', 'default', 'cm-3')?.data, { i: 'changed' });
  assert.is(again.get('configmaps', 'default', 'cm-4'), undefined);
  assert.is(again.get('secrets', 'default', 'after')?.metadata.uid, store.get('secrets', 'default', 'after')?.metadata.uid);
});

test('a watch from before the restore is told its resourceVersion expired, so the client lists again', async () => {
  const dir = tmp('kube-sim-expired-');
  const store = new ObjectStore();
  const persisted = await persistStore(store, dir);
  const old = store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' } }).metadata.resourceVersion;
  store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' } });
  await persisted.close();
  const state = await loadStoreData(dir, () => undefined);
  assert.ok(state);
  const again = new ObjectStore();
  again.restore(state);
  assert.throws(() => again.watch('configmaps', { sinceResourceVersion: old }, () => undefined), /too old resource version/);
});

test('a generated cluster is written as one snapshot at start, not journaled pod by pod', async () => {
  const home = tmp('kube-sim-generated-');
  const sim = await startKubeSim({ scenario: generateCluster({ pods: 2_000 }), home, persist: true, controllers: false });
  await sim.stop();
  const dir = path.join(home, 'kube-sim');
  const snapshot = readFileSync(path.join(dir, 'snapshot.jsonl'), 'utf8');
  assert.ok(snapshot.split('\n').filter((l) => l.startsWith('{"r":"pods"')).length >= 2_000);
  assert.is(statSync(path.join(dir, journals(dir)[0])).size, 0);
});

test.run();
