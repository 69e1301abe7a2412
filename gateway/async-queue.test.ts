import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openAsyncQueue, type AsyncCall } from './async-queue.js';

const call = (id: string): AsyncCall => ({ id, fn: 'echo', path: '/', query: '', headers: {}, body: '', enqueuedAt: new Date(0).toISOString(), attempts: 0 });

test('what was acknowledged survives a reopen: pending calls, attempt counts and dead letters; a torn last line is dropped', async () => {
  const dir = mkdtempSync(os.tmpdir() + '/g-q-');
  const q = await openAsyncQueue(dir);
  for (const id of ['a', 'b', 'c', 'd']) assert.ok(await q.enqueue(call(id)));
  assert.not.ok(await q.enqueue(call('a')), 'a call id already queued is not queued twice');
  assert.is(q.next()?.id, 'a');
  await q.complete('a');
  assert.is(q.next()?.id, 'b');
  assert.is(await q.recordFailure('b', 'HTTP 503'), 1);
  q.retryAfter('b', 60_000);
  assert.is(q.next()?.id, 'c');
  await q.bury('c', 'gave up');
  await q.close();
  appendFileSync(path.join(dir, 'journal.jsonl'), '{"op":"enq","call":{"id":"torn"');

  const again = await openAsyncQueue(dir);
  assert.equal(again.stats(), { pending: 2, inFlight: 0, delayed: 0, dead: 1 });
  const first = again.next();
  assert.is(first?.id, 'b');
  assert.is(first?.attempts, 1);
  assert.is(again.next()?.id, 'd');
  assert.equal(again.deadLetters().map((d) => [d.id, d.reason]), [['c', 'gave up']]);
  assert.ok(await again.replay('c'));
  assert.is(again.next()?.id, 'c');
  await again.close();
});

test('the journal is compacted to what is live once the queue drains', async () => {
  const dir = mkdtempSync(os.tmpdir() + '/g-q-');
  const q = await openAsyncQueue(dir, { compactAfter: 10 });
  for (let i = 0; i < 20; i++) await q.enqueue(call(`c${i}`));
  for (let c = q.next(); c; c = q.next()) await q.complete(c.id);
  await q.enqueue(call('late'));
  await q.close();
  const lines = readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
  assert.is(lines.length, 1, `expected only the late call, got ${lines.length} lines`);
  assert.match(lines[0] ?? '', /"late"/);
});

test.run();
