import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GanglionError } from '../kernel/errors.js';
import { startStateCluster } from '../testing/state-cluster.js';
import type { GanglionObject } from './ganglion-objects.js';

type PipeObject = GanglionObject<{ branch: string; name: string; namespace: string }>;

const run = promisify(execFile);

test('objects are created, read, listed page by page, replaced as of their resourceVersion and deleted', async () => {
  const c = await startStateCluster();
  try {
    const state = c.state;
    const made = await state.create<PipeObject>('pushpipelines', { metadata: { name: 'main-web' }, spec: { branch: 'main', name: 'web', namespace: 'apps' } });
    assert.ok(made.metadata.resourceVersion);
    assert.equal((await state.get<PipeObject>('pushpipelines', 'main-web'))?.spec, { branch: 'main', name: 'web', namespace: 'apps' });
    assert.is(await state.get('pushpipelines', 'nope'), undefined);
    for (let i = 0; i < 4; i++) await state.create('pushpipelines', { metadata: { name: `p${i}` }, spec: { branch: 'main', name: `n${i}`, namespace: 'apps' } });
    const first = await state.list('pushpipelines', { limit: 2 });
    assert.is(first.items.length, 2);
    assert.ok(first.continue);
    assert.is((await state.listAll('pushpipelines')).length, 5);
    const replaced = await state.replace('pushpipelines', { ...made, spec: { ...made.spec, branch: 'release' } });
    assert.is.not(replaced.metadata.resourceVersion, made.metadata.resourceVersion);
    // a second writer holding the old resourceVersion loses
    const stale = await state.replace('pushpipelines', { ...made, spec: { ...made.spec, branch: 'dev' } }).catch((e: unknown) => e);
    assert.instance(stale, GanglionError);
    assert.equal([(stale as GanglionError).status, (stale as GanglionError).code], [409, 'conflict']);
    const twice = await state.create('pushpipelines', { metadata: { name: 'main-web' }, spec: { branch: 'main', name: 'web', namespace: 'apps' } }).catch((e: unknown) => e);
    assert.is((twice as GanglionError).code, 'already_exists');
    assert.is(await state.delete('pushpipelines', 'main-web'), true);
    assert.is(await state.delete('pushpipelines', 'main-web'), false);
  } finally {
    await c.stop();
  }
});

test('an object of the wrong shape is refused with 422 naming the field', async () => {
  const c = await startStateCluster();
  try {
    const err = await c.state.create('pushpipelines', { metadata: { name: 'bad' }, spec: { branch: 7, name: 'web', namespace: 'apps' } as never }).catch((e: unknown) => e);
    assert.is((err as GanglionError).status, 422);
    assert.match((err as GanglionError).message, /spec\.branch/);
  } finally {
    await c.stop();
  }
});

test('without the definitions every call and the start-up check name kubectl apply -f k8s/', async () => {
  const c = await startStateCluster({ install: false });
  try {
    for (const attempt of [c.state.check(), c.state.get('runs', 'r1'), c.state.list('auditrecords')]) {
      const err = await attempt.then(() => undefined, (e: unknown) => e);
      assert.instance(err, GanglionError);
      assert.is((err as GanglionError).code, 'crds_missing');
      assert.match((err as GanglionError).message, /kubectl apply -f k8s\//);
    }
  } finally {
    await c.stop();
  }
});

test('kubectl lists every kind with its printer columns, and the ganglion category lists them all', async () => {
  const c = await startStateCluster();
  try {
    await c.state.check();
    await c.state.create('pushpipelines', { metadata: { name: 'main-web' }, spec: { branch: 'main', name: 'web', namespace: 'apps' } });
    const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', c.sim.kubeconfigPath, ...args])).stdout;
    const out = await kubectl('get', 'pushpipelines', '-n', 'ganglion');
    assert.match(out, /NAME\s+BRANCH\s+DEPLOYMENT\s+NAMESPACE\s+AGE/);
    assert.match(out, /main-web\s+main\s+web\s+apps/);
    assert.match(await kubectl('get', 'ganglion', '-n', 'ganglion'), /pushpipeline\.ganglion\.dev\/main-web/);
  } finally {
    await c.stop();
  }
});

test.run();
