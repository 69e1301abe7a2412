import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import tls from 'node:tls';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim } from '../kube-sim/index.js';
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

/** An HTTPS API stand-in with a fresh self-signed certificate (openssl), answering any GET with an empty list. */
async function startTlsApi(): Promise<{ kubeconfig: string; ca: Buffer; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'g-tls-'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.is(made.status, 0, `openssl could not make a test certificate: ${made.stderr}`);
  const ca = readFileSync(path.join(dir, 'cert.pem'));
  const server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: ca }, (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.headers.authorization === 'Bearer t0k' ? '{"kind":"List","items":[]}' : '{"kind":"Status","code":401}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:${port}", certificate-authority-data: "${ca.toString('base64')}" } }]
users: [{ name: u, user: { token: t0k } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`);
  return { kubeconfig, ca, stop: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }) };
}

test('over TLS, one context serves a cluster\'s requests until its credentials change, and the CA is still checked', async () => {
  const api = await startTlsApi();
  const create = tls.createSecureContext;
  let created = 0;
  tls.createSecureContext = (...args: Parameters<typeof tls.createSecureContext>) => { created++; return create(...args); };
  try {
    const c = await createKubeAccess({ kubeconfig: api.kubeconfig }).clients();
    const lists = await Promise.all([getJson<{ kind: string }>(c, '/api/v1/nodes'), getJson(c, '/api/v1/namespaces'), getJson(c, '/api/v1/pods')]);
    await getJson(c, '/apis/apps/v1/deployments');
    assert.is(lists[0].kind, 'List', 'the token went along');
    assert.is(created, 1, 'four requests, one TLS context');
    // the same CA in other bytes (a rotated file would differ too): a new context, and the request still verifies
    const cluster = c.kc.getCurrentCluster() as { caData?: string };
    cluster.caData = Buffer.from(`${api.ca.toString('utf8').trimEnd()}\n\n`).toString('base64');
    await getJson(c, '/api/v1/nodes');
    assert.is(created, 2);
    // a CA that did not sign the server's certificate is refused, cached context or not
    const other = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '/dev/null', '-days', '1', '-subj', '/CN=other'], { encoding: 'utf8' });
    cluster.caData = Buffer.from(other.stdout).toString('base64');
    await getJson(c, '/api/v1/nodes').then(() => assert.unreachable(`a foreign CA was accepted (contexts: ${created})`), (err: Error & { code?: string }) => assert.match(String(err.code ?? err.message), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/));
  } finally {
    tls.createSecureContext = create;
    await api.stop();
  }
});

test.run();
