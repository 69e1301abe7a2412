import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { invokeFunction } from './invoke-function.js';
import { GanglionError } from '../kernel/errors.js';

interface Seen { headers: http.IncomingHttpHeaders; body: string; path: string }

/** A gateway stand-in: answers from a script, one entry per request, and records what it got. */
async function gateway(script: ((req: Seen, res: http.ServerResponse) => void)[]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const s = { headers: req.headers, body, path: req.url ?? '' };
      seen.push(s);
      const answer = script[Math.min(seen.length - 1, script.length - 1)];
      answer?.(s, res);
    });
  });
  // Every socket, so close() can end even one accepted after the client gave up on it.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((r) => {
    server.close(() => r());
    for (const socket of sockets) socket.destroy();
  });
  return { url, seen, close };
}

const completed = (s: Seen, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'r1', 'ce-source': '/ganglion/scale', 'ce-type': 'dev.ganglion.step.completed', 'ce-runid': String(s.headers['ce-runid']) });
  res.end(JSON.stringify({ summary: 'ok', data: { got: JSON.parse(s.body) } }));
};
const noDelay = async () => {};

test('sends a binary step.requested event with the run extensions and the target function, and reads the answer event', async () => {
  const gw = await gateway([completed]);
  const out = await invokeFunction({ gatewayUrl: gw.url, fn: 'scale', input: { replicas: 5 }, runId: 'run1', stepId: 's1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', approval: 'a'.repeat(64), hopsLeft: 7 });
  const h = gw.seen[0]?.headers ?? {};
  assert.is(gw.seen[0]?.path, '/function/scale');
  assert.is(h['ce-type'], 'dev.ganglion.step.requested');
  assert.is(h['ce-source'], '/ganglion/planner');
  assert.equal([h['ce-runid'], h['ce-stepid'], h['ce-hopsleft'], h['ce-approval']], ['run1', 's1', '7', 'a'.repeat(64)]);
  assert.is(h['ce-targetfunction'], 'scale');
  assert.is(h['ce-traceparent'], '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  assert.is(out.status, 200);
  assert.is(out.event.type, 'dev.ganglion.step.completed');
  assert.equal(out.event.data, { summary: 'ok', data: { got: { replicas: 5 } } });
  await gw.close();
});

test('retries a 502 with the same ce-id, so the function can tell it is a repeat', async () => {
  const gw = await gateway([(_, res) => { res.writeHead(502); res.end('upstream down'); }, completed]);
  const out = await invokeFunction({ gatewayUrl: gw.url, fn: 'scale', input: {}, delayFn: noDelay });
  assert.is(out.status, 200);
  assert.is(gw.seen.length, 2);
  assert.is(gw.seen[0]?.headers['ce-id'], gw.seen[1]?.headers['ce-id']);
  await gw.close();
});

test('a 4xx is not retried, and a non-CloudEvent answer becomes a step.failed saying what came back', async () => {
  const gw = await gateway([(_, res) => { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('function not found: nope'); }]);
  const out = await invokeFunction({ gatewayUrl: gw.url, fn: 'nope', input: {}, delayFn: noDelay });
  assert.is(gw.seen.length, 1);
  assert.is(out.status, 404);
  assert.is(out.event.type, 'dev.ganglion.step.failed');
  assert.equal(out.event.data, { error: { code: 'function_not_found', message: 'nope answered 404: function not found: nope' } });
  await gw.close();
});

test('an unreachable gateway fails with a 502 naming the URL and what to set', async () => {
  const gw = await gateway([completed]);
  await gw.close();
  try {
    await invokeFunction({ gatewayUrl: gw.url, fn: 'scale', input: {}, delayFn: noDelay, attempts: 2 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, GanglionError);
    assert.is((err as GanglionError).status, 502);
    assert.match((err as Error).message, new RegExp(`cannot invoke scale through ${gw.url}.*OPENFAAS_URL`));
  }
});

test('a function slower than the timeout fails with a 504 naming the function and the limit', async () => {
  const gw = await gateway([() => { /* never answers */ }]);
  try {
    await invokeFunction({ gatewayUrl: gw.url, fn: 'slow', input: {}, timeoutMs: 50, attempts: 2, delayFn: noDelay });
    assert.unreachable();
  } catch (err) {
    assert.is((err as GanglionError).status, 504);
    assert.match((err as Error).message, /slow did not answer within 50 ms/);
  }
  await gw.close();
});

test.run();
