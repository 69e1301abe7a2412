import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { callerFor } from '../../testing/read-tool-harness.js';
import { waitFor } from '../../testing/home-lab.js';
import { startCodeOpsCluster } from '../../testing/code-ops-cluster.js';
import * as verify from './handler.js';

// placemyparents' demo app runs for real in kube-sim; the verify worker reaches its Service through kube-sim's cluster proxy
const { sim } = await startCodeOpsCluster();
const call = callerFor(verify, sim.kubeconfigPath);
const kubectl = (...args: string[]) => promisify(execFile)('kubectl', ['--kubeconfig', sim.kubeconfigPath, '-n', 'apps', ...args], { timeout: 60_000 });
const app = http.createServer((req, res) => { res.writeHead(req.url === '/healthz' ? 200 : 503).end('ok'); });
await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
const rolledOut = (tag: string) => waitFor(`placemyparents ${tag} rolled out`, async () => {
  const dep = sim.store.get('deployments', 'apps', 'placemyparents');
  const status = dep?.status as { updatedReplicas?: number; readyReplicas?: number; replicas?: number } | undefined;
  const image = JSON.stringify(dep?.spec).includes(`placemyparents:${tag}`);
  return image && status?.updatedReplicas === 2 && status.readyReplicas === 2 && status.replicas === 2 ? true : undefined;
});
await rolledOut('1.4');

type Smoke = { status: string; httpStatus?: number; ms?: number; url: string };

test('a healthy Deployment: pods Ready, no restarts, and the smoke test calls its Service by cluster DNS name: passed, with status and latency', async () => {
  const res = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0.5 });
  assert.is(res.status, 200, JSON.stringify(res.data));
  assert.match(res.data.summary ?? '', /^placemyparents verified\. All 2 pods healthy \(2\/2 pods Ready, no restarts in 0\.5 s\)\. Smoke test passed: GET http:\/\/placemyparents\.apps\.svc\.cluster\.local\/ → HTTP 200 in \d+ ms\.$/);
  const smoke = (res.data.data as { smoke: Smoke }).smoke;
  assert.is(smoke.status, 'passed');
  assert.is(smoke.httpStatus, 200);
  assert.type(smoke.ms, 'number');
});

test('placemyparents 2.1 (its API route answers 500) fails verification, naming the status and the latency of the smoke test', async () => {
  await kubectl('annotate', 'deploy/placemyparents', 'ganglion.dev/smoke-path=/api/listings');
  await kubectl('set', 'image', 'deploy/placemyparents', 'placemyparents=registry.local/placemyparents:2.1');
  await rolledOut('2.1');
  const res = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0 });
  assert.is(res.status, 422, JSON.stringify(res.data));
  assert.is(res.data.error?.code, 'verify_failed');
  assert.match(res.data.error?.message ?? '', /^apps\/placemyparents is not healthy: 2\/2 pods Ready, no restarts in 0 s\. Smoke test FAILED: GET http:\/\/placemyparents\.apps\.svc\.cluster\.local\/api\/listings → HTTP 500 in \d+ ms\.$/);
  await kubectl('set', 'image', 'deploy/placemyparents', 'placemyparents=registry.local/placemyparents:1.4');
  await rolledOut('1.4');
  const back = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0 });
  assert.match(back.data.summary ?? '', 'Smoke test passed: GET http://placemyparents.apps.svc.cluster.local/api/listings → HTTP 200');
});

test('a smoke test that cannot run is never a pass: verify fails and says why', async () => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((r) => closed.close(r));
  const res = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0, smokeUrl: url });
  assert.is(res.status, 422, JSON.stringify(res.data));
  assert.match(res.data.error?.message ?? '', `Smoke test could not run: GET ${url} got no answer (ECONNREFUSED); a smoke test that did not run is not a pass.`);
});

test('with a smokeUrl the smoke test calls it: passes on 200, fails on a 5xx', async () => {
  const ok = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0, smokeUrl: `${appUrl}/healthz` });
  assert.is(ok.status, 200, JSON.stringify(ok.data));
  assert.match(ok.data.summary ?? '', `Smoke test passed: GET ${appUrl}/healthz → HTTP 200 in `);
  const bad = await call({ name: 'placemyparents', namespace: 'apps', windowSeconds: 0, smokeUrl: `${appUrl}/` });
  assert.is(bad.status, 422);
  assert.match(bad.data.error?.message ?? '', `Smoke test FAILED: GET ${appUrl}/ → HTTP 503 in `);
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
