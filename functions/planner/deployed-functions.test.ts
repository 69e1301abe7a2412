/** The gateway's list of deployed functions: read with basic auth, reused for the TTL, read again on a miss, failures said. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeployedFunctions } from './deployed-functions.js';

let server: Server;
let url: string;
let listed = ['planner', 'cluster-status'];
const seen: (string | undefined)[] = [];

test.before(async () => {
  // faas-netes' answer shape: FunctionStatus objects; /system/* wants admin:secret.
  server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== `Basic ${Buffer.from('admin:secret').toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Restricted"' }).end('unauthorized');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed.map((name) => ({ name, image: `x/${name}`, replicas: 1, namespace: 'openfaas-fn' }))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const creds = (password: string) => () => ({ user: 'admin', password, from: 'secret basic-auth-password' });

test('reads the names GET /system/functions lists, with the gateway credentials', async () => {
  seen.length = 0;
  const list = await createDeployedFunctions({ gatewayUrl: `${url}/`, credentials: creds('secret'), ttlMs: 1000 })();
  assert.ok(list.ok);
  if (list.ok) assert.equal([...list.names].sort(), ['cluster-status', 'planner']);
  assert.equal(seen, [`Basic ${Buffer.from('admin:secret').toString('base64')}`]);
});

test('reuses a read for the TTL, reads again after it, and at once when asked to refresh', async () => {
  let clock = 0;
  seen.length = 0;
  listed = ['planner'];
  const deployed = createDeployedFunctions({ gatewayUrl: url, credentials: creds('secret'), ttlMs: 1000, now: () => clock });
  await deployed();
  listed = ['planner', 'scale'];
  clock = 999;
  const cached = await deployed();
  assert.ok(cached.ok && !cached.names.has('scale'), 'still the first read');
  const refreshed = await deployed({ refresh: true });
  assert.ok(refreshed.ok && refreshed.names.has('scale'), 'a refresh sees the new function');
  listed = ['planner'];
  clock = 999 + 999;
  const still = await deployed();
  assert.ok(still.ok && still.names.has('scale'), 'the refreshed read is reused for its TTL');
  clock = 999 + 1000;
  const expired = await deployed();
  assert.ok(expired.ok && !expired.names.has('scale'), 'after the TTL the list is read again');
  assert.is(seen.length, 3);
});

test('a refused password, missing credentials and a gateway that is down each say why', async () => {
  const wrong = await createDeployedFunctions({ gatewayUrl: url, credentials: creds('nope'), ttlMs: 0 })();
  assert.ok(!wrong.ok);
  if (!wrong.ok) assert.match(wrong.reason, /refused the credentials from secret basic-auth-password \(401/);
  const none = await createDeployedFunctions({ gatewayUrl: url, credentials: () => undefined, ttlMs: 0 })();
  assert.ok(!none.ok);
  if (!none.ok) assert.match(none.reason, /no gateway credentials.*basic-auth-password.*GANGLION_GATEWAY_PASSWORD/);
  const down = createServer();
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
  const port = (down.address() as AddressInfo).port;
  await new Promise<void>((resolve) => down.close(() => resolve()));
  const gone = await createDeployedFunctions({ gatewayUrl: `http://127.0.0.1:${port}`, credentials: creds('secret'), ttlMs: 0 })();
  assert.ok(!gone.ok);
  if (!gone.ok) assert.match(gone.reason, /cannot read http:\/\/127\.0\.0\.1:\d+\/system\/functions \(.*ECONNREFUSED.*\); check OPENFAAS_URL/);
});

test.run();
