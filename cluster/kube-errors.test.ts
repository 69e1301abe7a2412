import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { kubeCall } from './kube-errors.js';
import { getJson } from './get-json.js';
import { createKubeAccess } from './kube-access.js';
import { GanglionError } from '../kernel/errors.js';
import { tempHome, writeKubeconfig } from '../testing/read-tool-harness.js';

test('an API server that accepts but never answers fails with 504 within the deadline and the connection is closed', async () => {
  let closed!: () => void;
  const socketClosed = new Promise<void>((r) => (closed = r));
  const hung = http.createServer((req) => req.socket.on('close', () => closed()));
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  const server = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  const c = await createKubeAccess({ kubeconfig: writeKubeconfig(tempHome(), server) }).clients();
  try {
    await kubeCall('list pods in all namespaces', (signal) => getJson(c, '/api/v1/pods', {}, signal), { server, timeoutMs: 300 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, GanglionError);
    assert.is((err as GanglionError).status, 504);
    assert.is((err as GanglionError).message, `list pods in all namespaces: ${server} did not answer within 300 ms; check that the cluster is up`);
  }
  await socketClosed;
  hung.close();
});

test('the typed client is bounded the same way', async () => {
  const hung = http.createServer(() => { /* never answers */ });
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  const server = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  const c = await createKubeAccess({ kubeconfig: writeKubeconfig(tempHome(), server) }).clients();
  try {
    await kubeCall('read namespace apps', () => c.core.readNamespace({ name: 'apps' }), { server, timeoutMs: 200 });
    assert.unreachable();
  } catch (err) {
    assert.is((err as GanglionError).code, 'cluster_timeout');
  } finally {
    hung.closeAllConnections();
    hung.close();
  }
});

test('an API error keeps its status and the server\'s message', async () => {
  const api = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'namespaces "nope" not found', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  const server = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const c = await createKubeAccess({ kubeconfig: writeKubeconfig(tempHome(), server) }).clients();
  try {
    await kubeCall('read namespace nope', () => c.core.readNamespace({ name: 'nope' }), { server });
    assert.unreachable();
  } catch (err) {
    assert.is((err as GanglionError).status, 404);
    assert.is((err as GanglionError).message, 'read namespace nope: namespaces "nope" not found');
  } finally {
    api.closeAllConnections();
    api.close();
  }
});

test.run();
