import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openAsyncQueue, type AsyncCall } from './async-queue.js';
import type { GanglionError } from '../kernel/errors.js';

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

test('past maxPending or maxBytes enqueue refuses with 429 queue_full; what was accepted is kept, and room comes back as calls finish', async () => {
  const dir = mkdtempSync(os.tmpdir() + '/g-q-');
  const q = await openAsyncQueue(dir, { maxPending: 3, maxBytes: 4096, retryAfterSeconds: 7 });
  for (const id of ['a', 'b', 'c']) assert.ok(await q.enqueue(call(id)));
  const refusal = await q.enqueue(call('d')).then(() => undefined, (err: unknown) => err as GanglionError);
  assert.equal([refusal?.status, refusal?.code, refusal?.details?.retryAfterSeconds], [429, 'queue_full', 7]);
  assert.not.ok(await q.enqueue(call('a')), 'a repeat of a queued call id is still recognised, not refused');
  assert.is(q.next()?.id, 'a');
  await q.complete('a');
  assert.ok(await q.enqueue(call('d')), 'a finished call makes room');
  await q.complete(q.next()!.id);
  const big = { ...call('big'), body: Buffer.alloc(4000).toString('base64') };
  const tooBig = await q.enqueue(big).then(() => undefined, (err: unknown) => err as GanglionError);
  assert.is(tooBig?.status, 429);
  assert.match(tooBig?.message ?? '', 'GANGLION_ASYNC_MAX_BYTES');
  await q.close();
  const again = await openAsyncQueue(dir, { maxPending: 3, maxBytes: 4096 });
  assert.equal(again.stats(), { pending: 2, inFlight: 0, delayed: 0, dead: 0 });
  assert.equal([again.next()?.id, again.next()?.id], ['c', 'd']);
  await again.close();
});

test('bodies and headers are read back from the journal, through compaction, dead letters and replay', async () => {
  const dir = mkdtempSync(os.tmpdir() + '/g-q-');
  const q = await openAsyncQueue(dir, { compactAfter: 2 });
  const withBody = (id: string): AsyncCall => ({ ...call(id), headers: { 'x-note': `héllo ${id}` }, body: Buffer.from(`body of ${id} ✓`).toString('base64'), query: `q=${id}` });
  for (const id of ['one', 'two', 'three']) await q.enqueue(withBody(id));
  const one = q.next();
  assert.equal(one, withBody('one'));
  await q.bury('one', 'gave up');
  for (let c = q.next(); c; c = q.next()) { assert.equal(c, withBody(c.id)); await q.complete(c.id); }
  await q.enqueue(withBody('four')); // appended after the compaction the drain set off
  assert.equal(q.deadLetters().map((d) => [d.id, d.path, d.reason]), [['one', '/', 'gave up']]);
  assert.ok(await q.replay('one'));
  const got = [q.next(), q.next()].map((c) => c?.id).sort();
  assert.equal(got, ['four', 'one']);
  await q.close();
  const again = await openAsyncQueue(dir);
  const after = [again.next(), again.next()];
  assert.equal(after.map((c) => c?.id).sort(), ['four', 'one']);
  for (const c of after) assert.equal(c, withBody(c!.id));
  await again.close();
});

test.run();
