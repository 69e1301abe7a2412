import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FunctionBackend } from './function-backend.js';
import { settlesWithin, waitForStart } from './start-wait.js';

/** A backend whose one function is starting until `finish()` is called. */
function startingBackend() {
  let finish = () => {};
  const pending = new Promise<void>((resolve) => { finish = resolve; });
  let serving = false;
  const backend = {
    mode: 'process',
    available: () => (serving ? 1 : 0),
    starting: () => (serving ? undefined : pending),
  } as unknown as FunctionBackend;
  return { backend, finish: () => { serving = true; finish(); } };
}

test('a call waits for its function\'s start and goes on once it serves', async () => {
  const { backend, finish } = startingBackend();
  setTimeout(finish, 20);
  assert.is(await waitForStart(backend, 'planner', 5_000, new AbortController().signal), undefined);
});

test('a start that outlasts the wait is answered 503 with Retry-After, naming the function and saying nothing ran', async () => {
  const { backend } = startingBackend();
  const out = await waitForStart(backend, 'planner', 30, new AbortController().signal);
  assert.is(out?.status, 503);
  assert.is(out?.headers['retry-after'], '1');
  assert.match(String(out?.body), /^function planner is still starting after 0\.03 s; nothing was run/);
});

test('a start that fails and is followed by a restart: the call waits for the restart too', async () => {
  let serving = false;
  const failed = Promise.resolve();
  let restarted = () => {};
  const restart = new Promise<void>((resolve) => { restarted = resolve; });
  let calls = 0;
  const backend = {
    available: () => (serving ? 1 : 0),
    starting: () => (serving ? undefined : calls++ === 0 ? failed : restart),
  } as unknown as FunctionBackend;
  setTimeout(() => { serving = true; restarted(); }, 20);
  assert.is(await waitForStart(backend, 'planner', 5_000, new AbortController().signal), undefined);
  assert.ok(serving, 'it went on only once the function served');
});

test('a function with no start under way is not waited for (its backend says why it does not serve)', async () => {
  const backend = { available: () => 0, starting: () => undefined } as unknown as FunctionBackend;
  assert.is(await waitForStart(backend, 'planner', 5_000, new AbortController().signal), undefined);
});

test('the wait ends with the signal\'s reason when the caller goes away', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('gone')), 10);
  try {
    await settlesWithin(new Promise(() => {}), 5_000, controller.signal);
    assert.unreachable('should have rejected');
  } catch (err) {
    assert.is((err as Error).message, 'gone');
  }
});

test.run();
