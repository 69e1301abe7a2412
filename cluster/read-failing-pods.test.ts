import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, generateCluster } from '@ganglion/kube-sim';
import { createKubeAccess } from './kube-access.js';
import { findFailingPods } from './pod-health.js';
import { listPodWarnings, listPods, listPodsInPages, requireNamespace } from './read-cluster.js';
import { readFailingPods } from './read-failing-pods.js';
import { GanglionError } from '../kernel/errors.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
// a plain API server over the generated (already settled) pods: nothing changes between the two reads
const sim = await startKubeSim({ scenario: generateCluster({ pods: 1000 }), port: 0, home, controllers: false });
const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients();
const now = Date.parse('2026-01-01T00:00:00Z');

test('a paged read of a generated 1,000-pod cluster finds and counts exactly what one unpaged list does', async () => {
  const [pods, events] = await Promise.all([listPods(c), listPodWarnings(c)]);
  const whole = findFailingPods(pods, events, now);
  const phases: Record<string, number> = {};
  for (const p of pods) phases[p.status?.phase ?? 'Unknown'] = (phases[p.status?.phase ?? 'Unknown'] ?? 0) + 1;
  assert.ok(Object.keys(phases).length > 1, 'the generated cluster has pods in more than one phase');
  assert.is(pods.length, 1000);
  assert.ok(whole.length > 10, 'the generated cluster has failing pods');
  for (const pageSize of [500, 37]) {
    const paged = await readFailingPods(c, undefined, now, pageSize);
    assert.is(paged.total, 1000, `page size ${pageSize}`);
    assert.equal(paged.failing, whole, `page size ${pageSize}`);
    assert.equal(paged.byPhase, phases, `page size ${pageSize}`);
  }
});

test('a paged read of one namespace equals the unpaged one; an unknown namespace reads as no pods, and requireNamespace makes it a 404', async () => {
  const pods = await listPods(c);
  const ns = pods[pods.length - 1]?.metadata?.namespace ?? '';
  const mine = pods.filter((p) => p.metadata?.namespace === ns);
  const paged = await readFailingPods(c, ns, now, 7);
  assert.is(paged.total, mine.length);
  assert.equal(paged.failing, findFailingPods(mine, await listPodWarnings(c, ns), now));
  assert.equal(await readFailingPods(c, 'no-such-namespace', now), { total: 0, byPhase: {}, failing: [] });
  try {
    await requireNamespace(c, 'no-such-namespace');
    assert.unreachable('an unknown namespace must fail');
  } catch (err) {
    assert.instance(err, GanglionError);
    assert.is((err as GanglionError).status, 404);
  }
});

test('the pod list comes in pages of 500 in key order, and an error in the page consumer is not reported as a cluster error', async () => {
  const sizes: number[] = [];
  const names: string[] = [];
  await listPodsInPages(c, undefined, (page) => {
    sizes.push(page.length);
    for (const p of page) names.push(`${p.metadata?.namespace}/${p.metadata?.name}`);
  });
  assert.equal(sizes, [500, 500]);
  assert.equal(names, [...names].sort());
  const boom = new Error('analysis failed');
  try {
    await listPodsInPages(c, undefined, () => { throw boom; });
    assert.unreachable('the consumer error must reach the caller');
  } catch (err) {
    assert.is(err, boom);
  }
});

test.after(async () => {
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
});
test.run();
