import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createBrowserGuard } from './browser-guard.js';
import { createAppServer } from './http-host.js';

const guard = createBrowserGuard({ ownHosts: ['127.0.0.1', 'http://gateway.openfaas:8080'], allowedHosts: ['ganglion.example.com', '.lab.example.org'], allowedOrigins: ['https://dash.example.com'] });
const verdict = (method: string, headers: Record<string, string>) => guard(method, headers)?.status ?? 200;

test('the CLI, faas-cli, curl and cron-connector (no Origin, no Sec-Fetch-Site) pass whatever they send', () => {
  for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'gateway:8080', 'gateway.openfaas:8080', 'gateway.openfaas.svc.cluster.local:8080', 'planner.openfaas-fn', '10.42.0.17:8080']) {
    assert.is(verdict('POST', { host }), 200, host);
  }
  assert.is(verdict('POST', {}), 200, 'an HTTP/1.0 request without Host');
});

test('a Host that is not ours is refused 421 (DNS rebinding), for reads too; configured names and domains pass', () => {
  for (const host of ['evil.example:8080', 'attacker.com', '127.0.0.1.nip.io:8080', 'localhost.evil.com']) {
    const err = guard('GET', { host });
    assert.is(err?.status, 421, host);
    assert.is(err?.code, 'host_not_allowed');
    assert.match(err?.message ?? '', 'GANGLION_ALLOWED_HOSTS');
  }
  for (const host of ['ganglion.example.com', 'ganglion.example.com:443', 'a.lab.example.org', 'lab.example.org']) assert.is(verdict('GET', { host }), 200, host);
  assert.is(createBrowserGuard({ allowedHosts: ['*'] })('GET', { host: 'anything.example' }), undefined, '"*" turns the Host check off');
});

test('a state-changing request from another site is refused 403 with code cross_site_request; reads and same-origin pages pass', () => {
  const host = '127.0.0.1:8080';
  for (const headers of <Array<Record<string, string>>>[
    { host, origin: 'https://evil.example' },
    { host, origin: 'http://127.0.0.1:9999' },
    { host, origin: 'null' },
    { host, 'sec-fetch-site': 'cross-site' },
    { host, 'sec-fetch-site': 'same-site' },
  ]) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const err = guard(method, headers);
      assert.is(err?.status, 403, `${method} ${JSON.stringify(headers)}`);
      assert.is(err?.code, 'cross_site_request');
    }
    assert.is(verdict('GET', headers), 200, 'a read is not refused for its origin (the page cannot read the answer)');
  }
  assert.is(verdict('POST', { host, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }), 200);
  assert.is(verdict('POST', { host: 'localhost', origin: 'http://localhost:80' }), 200, 'default ports compare equal');
  assert.is(verdict('POST', { host, origin: 'https://dash.example.com' }), 200, 'GANGLION_ALLOWED_ORIGINS');
  assert.is(verdict('POST', { host: '127.0.0.1:41000', origin: 'http://localhost:8080', 'x-forwarded-host': 'localhost:8080' }), 200, 'behind the gateway, the host the browser used');
});

test("a function's own server refuses a cross-site POST and a rebinding Host before its handler runs, and keeps serving", async () => {
  const seen: string[] = [];
  const server = createAppServer(async (req) => { seen.push(req.method); return { status: 200, headers: {}, body: 'ran' }; }, { maxBodyBytes: 1024, browserGuard: createBrowserGuard() });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const send = (headers: Record<string, string>) => new Promise<{ status: number; body: string; code: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-type': 'text/plain', ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, code: String(res.headers['x-ganglion-error'] ?? '') }));
    });
    req.on('error', reject);
    req.end('{"replicas":0}');
  });
  try {
    const cross = await send({ origin: 'https://evil.example' });
    assert.equal([cross.status, cross.code], [403, 'cross_site_request']);
    assert.match(cross.body, 'web pages may not change anything');
    const rebound = await send({ host: 'evil.example:8080' });
    assert.equal([rebound.status, rebound.code], [421, 'host_not_allowed']);
    assert.equal(seen, [], 'the handler never ran');
    assert.is((await send({})).status, 200, 'curl still works');
    assert.equal(seen, ['POST']);
  } finally {
    server.close();
    server.closeAllConnections();
  }
});

test.run();
