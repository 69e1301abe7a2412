import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startStateCluster } from '../../testing/state-cluster.js';
import { claimDelivery, deliveryName, readDelivery, type DeliveryRecord } from './delivery-store.js';

test('GitHub\'s delivery GUIDs name their object as they are; other ids are cleaned up and kept apart by a hash', () => {
  assert.is(deliveryName('72d3162e-cc78-11e3-81ab-4c9367dc0958'), '72d3162e-cc78-11e3-81ab-4c9367dc0958');
  const odd = ['D_Main', 'd_main', '../../etc/passwd', 'x'.repeat(300)].map(deliveryName);
  for (const n of odd) assert.match(n, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, n);
  assert.is(new Set([...odd, 'd-main']).size, 5);
});

test('the first claim runs the delivery and records each save in order; a second claim gets nothing', async () => {
  const c = await startStateCluster();
  try {
    const rec: DeliveryRecord = { delivery: 'D_Main', repository: 'me/app', branch: 'main', commit: 'c0ffee', status: 'running', stages: [], summary: 'started', receivedAt: '2026-11-25T10:00:00.000Z' };
    const save = await claimDelivery(c.state, rec);
    assert.ok(save);
    assert.is(await claimDelivery(c.state, { ...rec, summary: 'again' }), undefined);
    // Saves not awaited one by one still land in the order made, each over the resourceVersion of the one before.
    const writes = [save({ ...rec, summary: 'tests running' }), save({ ...rec, status: 'succeeded', summary: 'done' })];
    await Promise.all(writes);
    const seen = await readDelivery(c.state, 'D_Main');
    assert.equal([seen?.status, seen?.summary], ['succeeded', 'done']);
  } finally {
    await c.stop();
  }
});

test.run();
