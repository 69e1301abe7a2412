import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import * as deploy from '../../functions/deploy/handler.js';
import * as scale from '../../functions/scale/handler.js';
import * as restart from '../../functions/restart/handler.js';
import * as rollback from '../../functions/rollback/handler.js';
import { startHarness, type Harness } from '../../testing/mutation-harness.js';
import { approvalKey, recordApproval, signApproval } from '../../host/approval-token.js';
import { createFunctionApp } from '../../host/function-app.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { createLogger } from '../../kernel/logger.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

let h: Harness;
let proxy: http.Server;
let proxyKubeconfig: string;

// A proxy in front of kube-sim whose API server breaks on writes: every PATCH answers 500 with a v1 Status.
test.before(async () => {
  h = await startHarness(restart);
  const target = new URL(h.sim.url);
  proxy = http.createServer((req, res) => {
    if (req.method === 'PATCH') {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 }));
      return;
    }
    const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const { port } = proxy.address() as AddressInfo;
  proxyKubeconfig = path.join(path.dirname(h.sim.kubeconfigPath), 'kubeconfig-broken');
  fs.writeFileSync(proxyKubeconfig, fs.readFileSync(h.sim.kubeconfigPath, 'utf8').replace(h.sim.url, `http://127.0.0.1:${port}`));
});
test.after(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((r) => proxy.close(() => r()));
  await h.stop();
});

let calls = 0;

async function callBroken(mod: typeof deploy | typeof scale | typeof rollback | typeof restart, input: Record<string, unknown>) {
  const { operator } = writeTestTokens(h.config.alerts.secretsDir);
  const app = createFunctionApp(mod, { config: { ...h.config, kubeconfig: proxyKubeconfig }, log: createLogger({ name: 't', level: 'silent' }), kube: createKubeAccess({ kubeconfig: proxyKubeconfig }) });
  const stepId = `s${++calls}`;
  const token = signApproval(approvalKey(h.config), { runId: 'r', stepId, fn: mod.meta.name, input: mod.meta.input.parse(input) });
  await recordApproval(h.state, token, { runId: 'r', stepId, function: mod.meta.name, approvedBy: 'person', expiresAt: new Date(Date.now() + 60_000).toISOString() });
  const res = await app({ method: 'POST', path: '/', query: new URLSearchParams(), body: Buffer.from(JSON.stringify(input)), headers: { ...bearer(operator), 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': `${mod.meta.name}-${Math.random()}`, 'ce-source': '/t', 'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'r', 'ce-stepid': stepId, 'ce-approval': token } });
  return { status: res.status, body: JSON.parse(String(res.body)) as { error?: { code: string; message: string } } };
}

test('a 5xx from the API server on write is a clear 502 naming the call and the server\'s words; nothing changes', async () => {
  for (const [mod, input] of [[deploy, { name: 'placemyparents', tag: '2.0' }], [scale, { selector: 'tier=web', replicas: 4 }], [restart, { name: 'frontend' }]] as const) {
    const res = await callBroken(mod, input);
    assert.is(res.status, 502, mod.meta.name);
    assert.is(res.body.error?.code, 'kube_error');
    assert.match(res.body.error?.message ?? '', /^patch deployment (apps|web)\/[a-z-]+: etcdserver: request timed out$/);
  }
  assert.is(await h.image('apps', 'placemyparents'), 'registry.local/placemyparents:1.4');
});

test('a kubeconfig context that does not exist is a 404 naming the known ones', async () => {
  const res = await h.call({ name: 'frontend', cluster: 'prod', dryRun: true });
  assert.is(res.status, 404);
  assert.match(res.data.error?.message ?? '', /kubeconfig has no context "prod"; known contexts: ganglion-sim/);
});

test('a rollout that cannot finish in time stops at the deadline and says what the pods are doing', async () => {
  // grafana's readiness probe fails in the demo cluster, so its restarted pod never becomes Ready.
  const res = await h.call({ name: 'grafana', timeoutSeconds: 1 }, { approve: true });
  assert.is(res.status, 422, JSON.stringify(res.data));
  assert.match(res.data.error?.message ?? '', /^restart of grafana did not finish: 1 of 1 new pod is running but not ready \(NotReady\); not finished after \d s/);
});

test.run();
