/** Slow and numerous clients: the gateway's headers timeout and connection cap (GANGLION_HEADERS_TIMEOUT_MS, GANGLION_MAX_CONNECTIONS). */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFixtureStack } from './testing/fixture-stack.js';
import { startGateway } from './index.js';

const home = mkdtempSync(os.tmpdir() + '/g-');
const gw = await startGateway({
  stackFile: writeFixtureStack(home), home, port: 0, password: 'pw', cron: false,
  env: { LOG_LEVEL: 'silent', GANGLION_HEADERS_TIMEOUT_MS: '1000', GANGLION_REQUEST_TIMEOUT_MS: '1000', GANGLION_MAX_CONNECTIONS: '3' },
});
const port = Number(new URL(gw.url).port);

/** A client that sends half a request line and then nothing; resolves with what it got once the server closes it. */
function slowClient(): { socket: net.Socket; closed: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  let got = '';
  socket.on('data', (c: Buffer) => (got += c));
  socket.on('error', () => {});
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve(got))) };
}

test('clients that never finish their headers are cut off after the headers timeout, and the cap holds meanwhile', async () => {
  const slow = [slowClient(), slowClient(), slowClient()];
  await new Promise((r) => setTimeout(r, 200));
  const fourth = slowClient();
  const refused = await Promise.race([fourth.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), 800))]);
  assert.is(refused, 'closed', 'a connection beyond GANGLION_MAX_CONNECTIONS is closed at once');
  const answers = await Promise.race([Promise.all(slow.map((s) => s.closed)), new Promise<string[]>((r) => setTimeout(() => r(['not closed']), 5000))]);
  for (const a of answers) assert.match(a, /^HTTP\/1\.1 408|^$/, `a slow client gets 408 or a close, not an answer (got ${JSON.stringify(a.slice(0, 40))})`);
  const health = await fetch(`${gw.url}/healthz`);
  assert.is(health.status, 200, 'and the gateway serves the next client');
});

test.after(async () => { await gw.stop(); });
test.run();
