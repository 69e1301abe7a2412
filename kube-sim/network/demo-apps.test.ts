import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, TEST_TIMING, type KubeSim } from '../index.js';

// the home lab with its demo apps running as processes, driven by the real kubectl, reached over real HTTP through the cluster proxy
const home = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-demo-apps-'));
let sim: KubeSim;
let stopped = false;
const SVC = 'http://placemyparents.apps.svc.cluster.local';

/** Polls an async check until it gives a value, or fails naming what it waited for. */
async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { env: { ...process.env, HOME: home }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** One request through the cluster proxy, as `curl -x <proxy> <url>` sends it. */
function viaProxy(url: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const proxy = new URL(sim.clusterProxy ?? '');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: proxy.port, method, path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

interface PodView { name: string; ip: string; ready: boolean; restarts: number }
async function pods(): Promise<PodView[]> {
  const list = JSON.parse(await kubectl('get', 'pods', '-n', 'apps', '-l', 'app=placemyparents', '-o', 'json')) as { items: { metadata: { name: string; deletionTimestamp?: string }; status: { podIP?: string; containerStatuses?: { ready: boolean; restartCount: number }[] } }[] };
  return list.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => ({ name: p.metadata.name, ip: p.status.podIP ?? '', ready: p.status.containerStatuses?.[0]?.ready ?? false, restarts: p.status.containerStatuses?.[0]?.restartCount ?? 0 }));
}
async function endpointIPs(): Promise<string[]> {
  const out = await kubectl('get', 'endpoints', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.subsets[*].addresses[*].ip}');
  return out.split(' ').filter(Boolean).sort();
}
function counted(metrics: string, route: string, code: number): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`http_requests_total{method="GET",route="${route}",code="${code}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
};
async function rollTo(tag: string): Promise<PodView[]> {
  await kubectl('set', 'image', 'deploy/placemyparents', '-n', 'apps', `placemyparents=registry.local/placemyparents:${tag}`);
  await kubectl('rollout', 'status', 'deploy/placemyparents', '-n', 'apps', '--timeout=60s');
  return eventually(`3 ready pods of ${tag}`, async () => { const ps = await pods(); return ps.length === 3 && ps.every((p) => p.ready) && ps; });
}

test.before(async () => {
  // a rollout of real processes takes longer than TEST_TIMING's 1.2 s progress deadline
  sim = await startKubeSim({ home, timing: { ...TEST_TIMING, progressSecondMs: 50 } });
  await sim.settle();
});
test.after(async () => {
  if (!stopped) await sim.stop();
  rmSync(home, { recursive: true, force: true });
});

test('placemyparents 2.0 rolls out Running and ready; its Service answers 200 through the proxy, round-robin, and /metrics counts each request', async () => {
  const ps = await rollTo('2.0');
  assert.equal(await endpointIPs(), ps.map((p) => p.ip).sort());
  const seen = new Map<string, number>();
  for (let i = 0; i < 6; i++) {
    const r = await viaProxy(`${SVC}/`);
    assert.is(r.status, 200, r.body);
    const body = JSON.parse(r.body) as { version: string; pod: string };
    assert.is(body.version, '2.0');
    seen.set(body.pod, (seen.get(body.pod) ?? 0) + 1);
  }
  assert.equal([...seen.values()], [2, 2, 2], 'each of the 3 ready pods got its share');
  for (const p of ps) {
    const metrics = await viaProxy(`http://${p.ip}:8080/metrics`);
    assert.is(counted(metrics.body, '/', 200), 2, `${p.name} counted its 2 requests`);
    assert.match(metrics.body, 'app_info{app="placemyparents",version="2.0"} 1');
    assert.match(metrics.body, /http_request_duration_seconds_bucket\{route="\/",le="\+Inf"\} 2/);
  }
});

test('placemyparents 2.1 answers 500 on its main API route, and counts the error', async () => {
  const ps = await rollTo('2.1');
  const r = await viaProxy(`${SVC}/api/listings`);
  assert.is(r.status, 500);
  const errors = await Promise.all(ps.map(async (p) => (await viaProxy(`http://${p.ip}:8080/metrics`)).body));
  assert.is(errors.filter((m) => /http_request_errors_total\{route="\/api\/listings"\} 1/.test(m)).length, 1);
  await rollTo('2.0');
  assert.is((await viaProxy(`${SVC}/api/listings`)).status, 200);
});

test('a failing readiness probe takes the pod out of the Service, and back in once it passes', async () => {
  const [victim, ...others] = await pods();
  assert.is((await viaProxy(`http://${victim.ip}:8080/readyz/disable`, 'POST')).status, 202);
  await eventually('the pod is not ready and out of the endpoints', async () => (await endpointIPs()).join() === others.map((p) => p.ip).sort().join() && !(await pods()).find((p) => p.name === victim.name)?.ready);
  for (let i = 0; i < 4; i++) assert.is.not((JSON.parse((await viaProxy(`${SVC}/`)).body) as { pod: string }).pod, victim.name);
  const slice = await kubectl('get', 'endpointslices', '-n', 'apps', '-l', 'kubernetes.io/service-name=placemyparents', '-o', `jsonpath={.items[0].endpoints[?(@.targetRef.name=="${victim.name}")].conditions.ready}`);
  assert.is(slice, 'false', 'its EndpointSlice entry says not ready');
  const events = await kubectl('get', 'events', '-n', 'apps', '--field-selector', `involvedObject.name=${victim.name},reason=Unhealthy`, '-o', 'jsonpath={.items[*].message}');
  assert.match(events, 'Readiness probe failed: HTTP probe failed with statuscode: 503');
  await viaProxy(`http://${victim.ip}:8080/readyz/enable`, 'POST');
  await eventually('the pod is back in the endpoints', async () => (await endpointIPs()).includes(victim.ip));
});

test('a failing liveness probe restarts the container: restartCount rises and the new process serves again', async () => {
  const [victim] = await pods();
  const before = JSON.parse((await viaProxy(`http://${victim.ip}:8080/`)).body) as { pid: number };
  await viaProxy(`http://${victim.ip}:8080/healthz/disable`, 'POST');
  const after = await eventually('restartCount 1 and ready again', async () => (await pods()).find((p) => p.name === victim.name && p.restarts === 1 && p.ready), 30_000);
  assert.ok(after);
  const now = JSON.parse((await viaProxy(`http://${victim.ip}:8080/`)).body) as { pid: number };
  assert.is.not(now.pid, before.pid);
  assert.not.ok(alive(before.pid), 'the killed process is gone');
  const events = await kubectl('get', 'events', '-n', 'apps', '--field-selector', `involvedObject.name=${victim.name}`, '-o', 'jsonpath={.items[*].message}');
  assert.match(events, 'Container placemyparents failed liveness probe, will be restarted');
});

test('the proxy says why it cannot answer: unknown Service, simulated pods, no such port, not a cluster name', async () => {
  assert.match((await viaProxy('http://nope.apps.svc.cluster.local/')).body, 'no service nope in namespace apps');
  const simulated = await viaProxy('http://web-proxy.web.svc.cluster.local/');
  assert.is(simulated.status, 503);
  assert.match(simulated.body, 'simulated pods');
  assert.match((await viaProxy(`${SVC}:81/`)).body, 'has no port 81 (it has 80)');
  assert.match((await viaProxy('http://example.com/')).body, 'example.com is not a cluster address');
  assert.is((await viaProxy('http://10.43.20.11/')).status, 200, 'the cluster IP reaches the Service too');
});

test('processes end with their pods: on delete, on scale-down, and when kube-sim stops', async () => {
  const pidOf = async (p: PodView) => (JSON.parse((await viaProxy(`http://${p.ip}:8080/`)).body) as { pid: number }).pid;
  const [first] = await pods();
  const firstPid = await pidOf(first);
  await kubectl('delete', 'pod', '-n', 'apps', first.name);
  await eventually('the deleted pod\'s process is gone', async () => !alive(firstPid));
  const replaced = await eventually('3 ready pods again', async () => { const ps = await pods(); return ps.length === 3 && ps.every((p) => p.ready) && ps; });
  const pids = await Promise.all(replaced.map(pidOf));
  await kubectl('scale', 'deploy/placemyparents', '-n', 'apps', '--replicas=1');
  await eventually('two processes gone after scale-down', async () => pids.filter(alive).length === 1);
  const frontend = await viaProxy('http://frontend.web.svc.cluster.local/');
  const survivors = [...pids.filter(alive), (JSON.parse(frontend.body) as { pid: number }).pid];
  await sim.stop();
  stopped = true;
  assert.equal(survivors.filter(alive), [], 'no demo app outlives kube-sim');
});

test.run();
