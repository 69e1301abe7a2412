import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GanglionObject } from '../../cluster-state/ganglion-objects.js';
import { startStateCluster } from '../../testing/state-cluster.js';
import { createMonitorChecks } from './monitor-checks.js';

type MonitorObject = GanglionObject<{ description?: string; rule: { kind: string; threshold?: number }; schedule: string; notify?: string[] }>;

test('each Monitor object is a check by its name, re-read once the TTL has passed', async () => {
  const c = await startStateCluster();
  try {
    let clock = 0;
    const checks = createMonitorChecks({ state: c.state, ttlMs: 2_000, now: () => clock });
    await c.state.create<MonitorObject>('monitors', { metadata: { name: 'pod-restarts-over-3' }, spec: { description: 'pods restarting more than 3 times', rule: { kind: 'restarts', threshold: 3 }, schedule: '*/5 * * * *', notify: ['slack'] } });
    assert.equal(await checks(), { checks: [{ name: 'pod-restarts-over-3', rule: 'restarts', description: 'pods restarting more than 3 times', schedule: '*/5 * * * *' }] });
    await c.state.create<MonitorObject>('monitors', { metadata: { name: 'pod-health' }, spec: { rule: { kind: 'pod-health' }, schedule: '0 * * * *' } });
    clock = 1_999;
    assert.equal((await checks()).checks?.map((k) => k.name), ['pod-restarts-over-3'], 'reused within the TTL');
    clock = 2_000;
    // A Monitor without a description is described by its rule.
    assert.equal((await checks()).checks?.map((k) => [k.name, k.description]), [['pod-health', 'pod-health'], ['pod-restarts-over-3', 'pods restarting more than 3 times']]);
  } finally {
    await c.stop();
  }
});

test('a cluster without the definitions gives no checks and says why, naming kubectl apply -f k8s/', async () => {
  const c = await startStateCluster({ install: false });
  try {
    const known = await createMonitorChecks({ state: c.state })();
    assert.is(known.checks, undefined);
    assert.match(known.checksUnavailable ?? '', /monitors\.ganglion\.dev.*kubectl apply -f k8s\//);
  } finally {
    await c.stop();
  }
});

test.run();
