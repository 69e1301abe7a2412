import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { GanglionObject, Plural, StateClient } from '../../cluster-state/ganglion-objects.js';
import { GanglionError } from '../../kernel/errors.js';
import { startStateCluster, type StateCluster } from '../../testing/state-cluster.js';
import { baselineName, baselineScope, MAX_SIGNATURES, readBaseline, saveBaseline } from './baseline-store.js';
import type { Baseline } from './group-patterns.js';

const run = promisify(execFile);
let c: StateCluster;
test.before(async () => { c = await startStateCluster(); });
test.after(async () => { await c.stop(); });

const at = '2026-11-25T10:00:00.000Z';
const mine: Baseline = { 'oom java heap': { count: 2, seenAt: at } };
const theirs: Baseline = { 'timeout upstream': { count: 9, seenAt: at } };

/**
 * The real client, except that another analysis writes the scope's baseline right after each of the first `times`
 * reads: the write that follows such a read holds a stale resourceVersion (or creates what now exists).
 */
function racedBy(scope: string, times: number): StateClient {
  let left = times;
  return {
    ...c.state,
    async get<O extends GanglionObject>(plural: Plural, name: string, signal?: AbortSignal): Promise<O | undefined> {
      const seen = await c.state.get<O>(plural, name, signal);
      if (left-- > 0) await saveBaseline(c.state, scope, theirs);
      return seen;
    },
  };
}

test('names are DNS-1123 and differ for scopes that clean up alike', () => {
  const names = [baselineScope('ganglion-sim'), baselineScope('ganglion-sim', 'apps'), 'Home_Lab/all', 'home-lab/all'].map(baselineName);
  for (const n of names) assert.match(n, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, n);
  assert.is(new Set(names).size, names.length);
});

test('a baseline written while another analysis created the scope\'s object is written over it (last writer wins)', async () => {
  const scope = baselineScope('lab', 'created-meanwhile');
  await saveBaseline(racedBy(scope, 1), scope, mine);
  assert.equal(await readBaseline(c.state, scope), mine);
});

test('a baseline written over a stale resourceVersion is read again and replaced once more', async () => {
  const scope = baselineScope('lab', 'stale');
  await saveBaseline(c.state, scope, theirs);
  await saveBaseline(racedBy(scope, 1), scope, mine);
  assert.equal(await readBaseline(c.state, scope), mine);
});

test('it retries once only: a scope written under it twice fails with 409 conflict instead of looping', async () => {
  const scope = baselineScope('lab', 'busy');
  await saveBaseline(c.state, scope, theirs);
  const err = await saveBaseline(racedBy(scope, 2), scope, mine).catch((e: unknown) => e);
  assert.instance(err, GanglionError);
  assert.equal([(err as GanglionError).status, (err as GanglionError).code], [409, 'conflict']);
  assert.equal(await readBaseline(c.state, scope), theirs);
});

test('a huge baseline keeps its most frequent signatures; kubectl shows the scope', async () => {
  const scope = baselineScope('lab', 'huge');
  const huge: Baseline = Object.fromEntries(Array.from({ length: MAX_SIGNATURES + 50 }, (_, i) => [`error sig-${i}`, { count: i, seenAt: at }]));
  await saveBaseline(c.state, scope, huge);
  const kept = (await readBaseline(c.state, scope)) ?? {};
  assert.is(Object.keys(kept).length, MAX_SIGNATURES);
  assert.ok(kept[`error sig-${MAX_SIGNATURES + 49}`] && !kept['error sig-0']);
  const { stdout } = await run('kubectl', ['--kubeconfig', c.sim.kubeconfigPath, '-n', c.config.state.namespace, 'get', 'logbaselines', baselineName(scope)]);
  assert.match(stdout, /SCOPE[\s\S]*lab\/huge/);
});

test.run();
