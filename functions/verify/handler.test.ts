import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callerFor } from '../../testing/read-tool-harness.js';
import { waitFor } from '../../testing/home-lab.js';
import { startCodeOpsCluster } from '../../testing/code-ops-cluster.js';
import * as verify from './handler.js';

const { sim } = await startCodeOpsCluster();
const call = callerFor(verify, sim.kubeconfigPath);
const app = http.createServer((req, res) => { res.writeHead(req.url === '/healthz' ? 200 : 503).end('ok'); });
await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
await waitFor('placemyparents ready', async () => {
  const dep = sim.store.get('deployments', 'apps', 'placemyparents');
  return (dep?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2 ? true : undefined;
});

test('a healthy Deployment: pods Ready, no restarts over the window; the smoke check is skipped with a note (no pod network)', async () => {
  const res = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0.5 });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^placemyparents verified\. All 2 pods healthy \(2\/2 pods Ready, no restarts in 0\.5 s\)\. Smoke test skipped: http:\/\/placemyparents\.apps\.svc\.cluster\.local\/ is not reachable from the worker/);
  assert.is((res.data.data as { smoke: { status: string } }).smoke.status, 'skipped');
});

test('with a reachable smokeUrl the smoke check runs and passes, or fails on a 5xx', async () => {
  const ok = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0, smokeUrl: `${appUrl}/healthz` });
  assert.is(ok.status, 200, JSON.stringify(ok.data));
  assert.match(ok.data.summary ?? '', `Smoke test passed (${appUrl}/healthz → HTTP 200)`);
  const bad = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0, smokeUrl: `${appUrl}/` });
  assert.is(bad.status, 422);
  assert.is(bad.data.error?.code, 'verify_failed');
  assert.match(bad.data.error?.message ?? '', `Smoke test FAILED: ${appUrl}/ → HTTP 503`);
});

test('a crash-looping Deployment fails verification saying which pod and why', async () => {
  await waitFor('api-server crashed', async () => {
    const pods = sim.store.list('pods', { namespace: 'apps', labelSelector: 'app=api-server' }).items;
    return JSON.stringify(pods).includes('CrashLoopBackOff') ? true : undefined;
  });
  const res = await call({ name: 'api-server', namespace: 'apps', windowSeconds: 0 });
  assert.is(res.status, 422, JSON.stringify(res.data));
  assert.match(res.data.error?.message ?? '', /^apps\/api-server is not healthy: 0\/1 pods Ready.*api-server-[\w-]+: CrashLoopBackOff/);
});

test.after(async () => { await sim.stop(); await new Promise((r) => app.close(r)); });
test.run();
