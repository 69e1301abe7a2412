import http from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressAllowed, checkCallbackTarget, checkCallbackUrl, guardedLookup } from './callback-policy.js';

test('loopback, private and public addresses may be called back; link-local, metadata and unroutable ones may not', () => {
  for (const ok of ['127.0.0.1', '10.0.0.5', '192.168.1.20', '172.16.3.4', '8.8.8.8', '::1', 'fd12::1']) assert.ok(addressAllowed(ok), ok);
  for (const bad of ['169.254.169.254', '169.254.1.1', '100.100.100.200', '0.0.0.0', '224.0.0.1', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254']) assert.not.ok(addressAllowed(bad), bad);
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
  assert.ok((await checkCallbackTarget('http://localhost:9/cb')).ok);
  const unknown = await checkCallbackTarget('http://no-such-host.invalid/cb');
  assert.ok(!unknown.ok && /does not resolve/.test(unknown.reason));
});

test('the connect-time lookup refuses a name that resolves to a refused address (no DNS rebinding around the check)', async () => {
  const server = http.createServer((_, res) => res.end('reached'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const get = (answer: string) => new Promise<string>((resolve) => {
    const lookup = guardedLookup([], async () => [{ address: answer, family: 4 }]);
    http.get({ host: 'callback.example', port, lookup, agent: false }, (res) => { res.resume(); resolve(String(res.statusCode)); })
      .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  assert.is(await get('127.0.0.1'), '200');
  assert.is(await get('169.254.169.254'), 'ECALLBACKREFUSED');
  server.close();
  server.closeAllConnections();
});

test.run();
