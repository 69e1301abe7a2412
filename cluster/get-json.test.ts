import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import tls from 'node:tls';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, makeServingCert, writeKubeconfig } from '@ganglion/kube-sim';
import { createKubeAccess } from './kube-access.js';
import { getJson, getText } from './get-json.js';

test('every GET of one cluster\'s clients goes through the same agent (one TLS session cache), not a new one per request', async () => {
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home: mkdtempSync(path.join(os.tmpdir(), 'g-')), controllers: false });
  const used = new Set<http.Agent>();
  // every request an agent sends passes its addRequest (not in @types/node)
  const proto = http.Agent.prototype as unknown as { addRequest: (...xs: unknown[]) => void };
  const addRequest = proto.addRequest;
  proto.addRequest = function (this: http.Agent, ...args: unknown[]) {
    used.add(this);
    addRequest.apply(this, args);
  };
  try {
    const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
    await getJson(c, '/api/v1/nodes');
    await getJson(c, '/api/v1/namespaces');
    const version = await getText(c, '/version');
    assert.match(version, /gitVersion/);
    assert.is(used.size, 1);
  } finally {
    proto.addRequest = addRequest;
    await sim.stop();
  }
});

test('over TLS, one context serves a cluster\'s requests until its credentials change, and the CA is still checked', async () => {
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home: mkdtempSync(path.join(os.tmpdir(), 'g-')), controllers: false, tls: true });
  const create = tls.createSecureContext;
  let created = 0;
  tls.createSecureContext = (...args: Parameters<typeof tls.createSecureContext>) => { created++; return create(...args); };
  try {
    const c = await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients();
    const [nodes] = await Promise.all([getJson<{ items: unknown[] }>(c, '/api/v1/nodes'), getJson(c, '/api/v1/namespaces'), getJson(c, '/api/v1/pods')]);
    assert.is(nodes.items.length, 3);
    assert.is(created, 1, 'three requests, one TLS context');
    // one after another, requests reuse a kept-alive connection instead of a new handshake each
    const connect = tls.connect;
    let connections = 0;
    tls.connect = ((...args: Parameters<typeof tls.connect>) => { connections++; return connect(...args); }) as typeof tls.connect;
    try {
      for (const p of ['/apis/apps/v1/deployments', '/api/v1/nodes', '/api/v1/namespaces']) await getJson(c, p);
    } finally {
      tls.connect = connect;
    }
    assert.ok(connections <= 1, `${connections} new TLS connections for three sequential requests`);
    // the same CA in other bytes (a rotated file would differ too): a new context, and the request still verifies
    const cluster = c.kc.getCurrentCluster() as { caData?: string };
    const ca = Buffer.from(cluster.caData ?? '', 'base64').toString('utf8');
    assert.match(ca, /BEGIN CERTIFICATE/);
    cluster.caData = Buffer.from(`${ca.trimEnd()}\n\n`).toString('base64');
    await getJson(c, '/api/v1/nodes');
    assert.is(created, 2);
    // a CA that did not sign the server's certificate is refused: the new agent resumes no session verified before
    cluster.caData = makeServingCert('127.0.0.2').cert.toString('base64');
    await getJson(c, '/api/v1/nodes').then(
      () => assert.unreachable(`a foreign CA was accepted (contexts: ${created})`),
      (err: Error & { code?: string }) => assert.match(String(err.code ?? err.message), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/),
    );
  } finally {
    tls.createSecureContext = create;
    await sim.stop();
  }
});

test('a kept-alive connection the server drops is retried once on a fresh one; a server that is gone still fails', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const seen = new Map<unknown, number>();
  // answers the first request of each connection; drops a connection when a second request arrives on it
  const server = http.createServer((req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    if (n > 1) { req.socket.destroy(); return; }
    res.setHeader('content-type', 'application/json');
    res.end('{"kind":"List","items":[]}');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const c = await createKubeAccess({ kubeconfig: writeKubeconfig(home, url, 't') }).clients();
    await getJson(c, '/api/v1/nodes');
    const again = await getJson<{ kind: string }>(c, '/api/v1/nodes');
    assert.is(again.kind, 'List');
    assert.is(seen.size, 2, 'the retry went out on a new connection');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  const c = await createKubeAccess({ kubeconfig: writeKubeconfig(home, url, 't') }).clients();
  await getJson(c, '/api/v1/nodes').then(() => assert.unreachable('a stopped server answered'), (err: NodeJS.ErrnoException) => assert.is(err.code, 'ECONNREFUSED'));
});

test.run();
