/** The gateway against a web page in the operator's browser: cross-site changes and rebinding Hosts are refused, nothing runs. */
import { existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFixtureStack } from './testing/fixture-stack.js';
import { startGateway } from './index.js';

const home = mkdtempSync(os.tmpdir() + '/g-');
const counterDir = path.join(home, 'counter');
const gw = await startGateway({ stackFile: writeFixtureStack(home), home, port: 0, password: 'pw', cron: false, env: { COUNTER_DIR: counterDir, LOG_LEVEL: 'silent' } });
const port = Number(new URL(gw.url).port);
const auth = 'Basic ' + Buffer.from('admin:pw').toString('base64');

function send(method: string, target: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, agent: false, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const effects = () => existsSync(path.join(counterDir, 'effects'));
const queued = async () => JSON.parse((await send('GET', '/system/async/queue', { authorization: auth })).body) as { pending: number; inFlight: number };
const page = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' };

test('a page on another site gets 403 cross_site_request on /function, /async-function and /system, and nothing runs or is queued', async () => {
  for (const [method, target, extra] of [['POST', '/function/counter', {}], ['POST', '/async-function/counter', {}], ['PUT', '/system/functions', { authorization: auth }], ['DELETE', '/system/functions', { authorization: auth }]] as const) {
    const r = await send(method, target, { ...page, ...extra }, '{"n":1}');
    assert.is(r.status, 403, `${method} ${target}`);
    assert.match(r.body, 'cross_site_request');
  }
  const sameSite = await send('POST', '/function/counter', { 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }, '{"n":1}');
  assert.is(sameSite.status, 403, 'Sec-Fetch-Site: same-site alone is enough');
  assert.not.ok(effects(), 'the counter applied nothing');
  assert.equal(await queued(), { pending: 0, inFlight: 0, delayed: 0, dead: 0 });
  assert.equal(gw.functions().sort(), ['counter', 'echo', 'mirror', 'slow'], 'every function is still deployed');
});

test('a rebinding page (Host evil.example) gets 421 host_not_allowed even for reads; the gateway keeps serving', async () => {
  for (const method of ['GET', 'POST']) {
    const r = await send(method, '/function/echo', { host: `evil.example:${port}`, 'content-type': 'text/plain' }, 'hi');
    assert.is(r.status, 421, method);
    assert.match(r.body, 'host_not_allowed');
  }
  assert.is((await send('GET', '/healthz', {})).status, 200);
});

test('curl and faas-cli still work, and a same-origin browser request has its text/plain body read as text, never as JSON', async () => {
  const curl = await send('POST', '/function/echo', { host: `127.0.0.1:${port}`, 'content-type': 'text/plain', accept: 'text/plain' }, '{"message":"hi"}');
  assert.equal([curl.status, curl.body.trim()], [200, 'echo: hi']);
  const browser = await send('POST', '/function/echo', { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'content-type': 'text/plain', accept: 'text/plain' }, '{"message":"hi"}');
  assert.equal([browser.status, browser.body.trim()], [200, 'echo: {"message":"hi"}']);
  const counted = await send('POST', '/function/counter', { 'content-type': 'application/json' }, '{"n":2}');
  assert.is(counted.status, 200);
  assert.ok(effects());
});

test.after(async () => { await gw.stop(); });
test.run();
