/** kill -9 of a gateway holding queued async invocations, flooded past its cap: after a restart every accepted one is applied exactly once. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startCallbackReceiver } from './callback-receiver.js';
import { writeFixtureStack } from './testing/fixture-stack.js';
import { spawnGateway } from './testing/spawn-gateway.js';

const lines = (file: string) => { try { return readFileSync(file, 'utf8').split('\n').filter(Boolean); } catch { return []; } };

test('a flood past the queue cap gets 429 with Retry-After; the accepted calls survive kill -9: each side effect happens once and every callback arrives with the OpenFaaS headers', async () => {
  const home = mkdtempSync(os.tmpdir() + '/g-');
  const stackFile = writeFixtureStack(home);
  const counterDir = path.join(home, 'counter');
  const env = { COUNTER_DIR: counterDir, GANGLION_GATEWAY_PASSWORD: 'pw', GANGLION_CALLBACK_ALLOW: '127.0.0.1/32' };
  const callbacks = await startCallbackReceiver();
  // One worker of 50 ms calls drains at most 20 calls/s, so the queue is still full when the kill comes.
  // A cap of 300 calls: the 600 sent at once outrun one worker, so the last ones are refused.
  const first = await spawnGateway({ home, stackFile, env: { ...env, GANGLION_ASYNC_CONCURRENCY: '1', GANGLION_ASYNC_MAX_PENDING: '300' } });

  const ids: string[] = [];
  let refused = 0;
  for (let batch = 0; batch < 600; batch += 25) {
    const answers = await Promise.all(Array.from({ length: 25 }, (_, k) => fetch(`${first.url}/async-function/counter.openfaas-fn`, {
      method: 'POST', body: JSON.stringify({ n: batch + k, delayMs: 50 }), headers: { 'content-type': 'application/json', 'x-callback-url': callbacks.url },
    })));
    for (const a of answers) {
      if (a.status === 429) {
        refused += 1;
        assert.match(a.headers.get('retry-after') ?? '', /^\d+$/);
        assert.match(await a.text(), 'GANGLION_ASYNC_MAX_PENDING');
        continue;
      }
      assert.is(a.status, 202);
      ids.push(a.headers.get('x-call-id') ?? '');
    }
  }
  assert.ok(refused > 0 && ids.length >= 300, `past the cap submissions are refused (accepted ${ids.length}, refused ${refused})`);
  await first.kill9();
  const appliedBefore = lines(path.join(counterDir, 'effects')).length;
  assert.ok(appliedBefore < ids.length, `the kill must leave work queued (applied before: ${appliedBefore})`);

  const second = await spawnGateway({ home, stackFile, env: { ...env, GANGLION_ASYNC_CONCURRENCY: '8' } });
  await callbacks.waitFor((r) => new Set(r.map((c) => c.headers['x-call-id'])).size >= ids.length, 90_000);
  const stats = (await (await fetch(`${second.url}/system/async/queue`, { headers: { authorization: 'Basic ' + Buffer.from('admin:pw').toString('base64') } })).json()) as { pending: number; inFlight: number; dead: number };
  await second.stop();
  await callbacks.stop();

  const effects = lines(path.join(counterDir, 'effects')).map((l) => l.split(' ')[0]);
  assert.is(effects.length, ids.length, 'exactly one side effect per accepted invocation, none for a refused one');
  assert.equal(new Set(effects), new Set(ids));
  assert.equal(stats, { pending: 0, inFlight: 0, delayed: 0, dead: 0 });
  const byId = new Map<string, number>();
  for (const c of callbacks.received) {
    const id = String(c.headers['x-call-id']);
    byId.set(id, (byId.get(id) ?? 0) + 1);
    assert.is(c.headers['x-function-status'], '200');
    assert.is(c.headers['x-function-name'], 'counter');
    assert.match(String(c.headers['x-duration-seconds']), /^\d+\.\d+$/);
  }
  assert.equal(new Set(byId.keys()), new Set(ids));
  // At-least-once: only the one call in flight at the kill may see a second callback.
  const repeats = [...byId.values()].filter((n) => n > 1).length;
  assert.ok(repeats <= 1, `${repeats} callbacks repeated; at most the one in flight may be`);
});

test.run();
