import http from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressAllowed, checkCallbackTarget, checkCallbackUrl, guardedLookup } from './callback-policy.js';

test('public addresses may be called back; loopback, private, link-local, CGNAT, NAT64, metadata and unroutable ones may not', () => {
  for (const ok of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001:80b::200e']) assert.ok(addressAllowed(ok), ok);
  for (const bad of [
    '127.0.0.1', '127.8.9.10', '::1', '10.0.0.5', '192.168.1.20', '172.16.3.4', '172.31.255.255', 'fd12::1', 'fc00::1', // loopback, RFC 1918, ULA
    '169.254.169.254', '169.254.1.1', 'fe80::1', 'fd00:ec2::254', '100.64.0.1', '100.100.100.200', // link-local, metadata, CGNAT
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', // unroutable, multicast, broadcast
    '64:ff9b::a00:1', '64:ff9b::808:808', '64:ff9b:1::1', // NAT64, whatever it translates to
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a00:5', '::ffff:169.254.169.254', '::127.0.0.1', '2002:7f00:1::1', '2002:c0a8:0101::1', // IPv4 inside IPv6
  ]) assert.not.ok(addressAllowed(bad), bad);
});

test('a callback URL naming a loopback or private address in any spelling is refused, naming how to allow it', () => {
  for (const url of ['http://127.0.0.1:8080/cb', 'http://2130706433/cb', 'http://0x7f.1/cb', 'http://[::1]/cb', 'http://[::ffff:127.0.0.1]/cb', 'http://10.1.2.3/cb', 'http://[64:ff9b::a9fe:a9fe]/cb', 'http://100.64.1.1/cb']) {
    const verdict = checkCallbackUrl(url);
    assert.ok(!verdict.ok && /GANGLION_CALLBACK_ALLOW/.test(verdict.reason), url);
  }
  assert.ok(checkCallbackUrl('http://127.0.0.1:8080/cb', ['127.0.0.1/32']).ok, 'a home lab allows its own callback receiver');
  assert.ok(checkCallbackUrl('http://10.1.2.3/cb', ['10.0.0.0/8']).ok);
});

test('GANGLION_CALLBACK_ALLOW lets a named host or CIDR through', () => {
  assert.ok(addressAllowed('169.254.10.10', ['169.254.10.0/24']));
  assert.ok(checkCallbackUrl('http://metadata.google.internal/x', ['metadata.google.internal']).ok);
  assert.ok(checkCallbackUrl('http://169.254.169.254/x', ['169.254.169.254/32']).ok);
});

test('a callback URL must be absolute http(s) without credentials, and the refusal says how to allow it', () => {
  assert.not.ok(checkCallbackUrl('/relative').ok);
  assert.not.ok(checkCallbackUrl('file:///etc/passwd').ok);
  assert.not.ok(checkCallbackUrl('http://user:pw@127.0.0.1/').ok);
  const refused = checkCallbackUrl('http://169.254.169.254/latest/meta-data/');
  assert.ok(!refused.ok && /GANGLION_CALLBACK_ALLOW/.test(refused.reason));
});

test('names are judged by what they resolve to', async () => {
  const local = await checkCallbackTarget('http://localhost:9/cb');
  assert.ok(!local.ok && /resolves to/.test(local.reason), 'localhost resolves to loopback');
  assert.ok((await checkCallbackTarget('http://localhost:9/cb', ['localhost'])).ok);
  const unknown = await checkCallbackTarget('http://no-such-host.invalid/cb');
  assert.ok(!unknown.ok && /does not resolve/.test(unknown.reason));
});

test('the connect-time lookup refuses a name that resolves to a refused address (no DNS rebinding around the check)', async () => {
  const server = http.createServer((_, res) => res.end('reached'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const get = (answer: string, allow: string[] = []) => new Promise<string>((resolve) => {
    const lookup = guardedLookup(allow, async () => [{ address: answer, family: 4 }]);
    http.get({ host: 'callback.example', port, lookup, agent: false }, (res) => { res.resume(); resolve(String(res.statusCode)); })
      .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  assert.is(await get('127.0.0.1'), 'ECALLBACKREFUSED');
  assert.is(await get('169.254.169.254'), 'ECALLBACKREFUSED');
  assert.is(await get('127.0.0.1', ['127.0.0.1/32']), '200', 'an allow-listed address is reached');
  server.close();
  server.closeAllConnections();
});

test.run();
