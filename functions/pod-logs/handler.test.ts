import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startKubeSim } from '@ganglion/kube-sim';
import { startHomeLab, TEST_TIMING, waitFor } from '../../testing/home-lab.js';
import { callerFor, tempHome } from '../../testing/read-tool-harness.js';
import { createFunctionApp } from '../../host/function-app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import * as podLogs from './handler.js';
import type { PodLogsData } from './handler.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';
import path from 'node:path';

const lab = await startHomeLab();
const call = callerFor(podLogs, lab.kubeconfig);
const dataOf = (res: { data: { data?: unknown } }) => res.data.data as PodLogsData;

// A second, tiny cluster: one pod with two containers, one of them logging 40 KB at start.
const long = 'x'.repeat(120);
const chatty = await startKubeSim({
  port: 0, home: tempHome(), timing: TEST_TIMING,
  scenario: {
    name: 'chatty',
    objects: [
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/arch': 'arm64' } }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'chatty', namespace: 'apps' }, spec: { containers: [{ name: 'main', image: 'chatty:1' }, { name: 'sidecar', image: 'quiet:1' }] } },
    ],
    simulation: {
      images: {
        'chatty:1': { logs: { startup: Array.from({ length: 320 }, (_, i) => `line ${i + 1} ${long}`) } },
        'quiet:1': { logs: { startup: ['sidecar up'] } },
      },
    },
  },
});
const chattyCall = callerFor(podLogs, chatty.kubeconfigPath);

test('"api-server" resolves to the crash-looping pod of that Deployment and shows the crashed instance\'s logs', async () => {
  const res = await call({ name: 'api-server' });
  assert.is(res.status, 200);
  const d = dataOf(res);
  assert.is(d.namespace, 'apps');
  assert.match(d.pod, /^api-server-/);
  assert.equal(d.resolvedFrom, { query: 'api-server', how: 'workload', via: 'deployment/api-server' });
  assert.equal(d.containers.map((c) => c.name), ['api-server']);
  assert.is(d.logs[0]?.previous, true);
  assert.match(d.logs[0]?.text ?? '', /Error: connect ECONNREFUSED 10\.43\.12\.7:5432/);
  const summary = res.data.summary ?? '';
  assert.match(summary, new RegExp(`^Logs of apps/${d.pod} \\(CrashLoopBackOff, \\d+ restarts?, resolved from "api-server" via deployment/api-server\\), last 100 lines per container`));
  assert.match(summary, /== container api-server \(previous instance, exited Error code 1\) — 20 lines ==/);
  assert.match(summary, /Node\.js v20\.18\.0$/);
});

test('a plain-text body, as `echo api-server | faas-cli invoke pod-logs` sends it, is the name', async () => {
  const secretsDir = path.join(lab.home, 'test-secrets');
  const { admin } = writeTestTokens(secretsDir);
  const app = createFunctionApp(podLogs, { config: loadConfig({ KUBECONFIG: lab.kubeconfig, GANGLION_SECRETS_DIR: secretsDir }), log: createLogger({ name: 't', level: 'silent' }), kube: createKubeAccess({ kubeconfig: lab.kubeconfig }) });
  const res = await app({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'text/plain', ...bearer(admin) }, body: Buffer.from('api-server\n') });
  assert.is(res.status, 200);
  assert.match(String(res.body), /ECONNREFUSED 10\.43\.12\.7:5432/);
});

test('tailLines bounds each log; a healthy Deployment gives its newest pod and names the others', async () => {
  const res = await call({ name: 'placemyparents', tailLines: 5 });
  const d = dataOf(res);
  assert.is(d.logs.length, 1);
  assert.is(d.logs[0]?.previous, false);
  assert.is(d.logs[0]?.lines, 5);
  assert.is(d.others.length, 2);
  assert.match(res.data.summary ?? '', /2 other matching pods: apps\/placemyparents-/);
});

test('an unknown pod fails with 404 naming the closest pods; an unknown container names the containers', async () => {
  const res = await call({ name: 'api-srv', namespace: 'apps' });
  assert.is(res.status, 404);
  assert.is(res.type, 'dev.ganglion.step.failed');
  assert.match(res.data.error?.message ?? '', /^no pod matches "api-srv" in namespace apps; closest: api-server-[a-z0-9]+-[a-z0-9]+, /);
  const anywhere = await call({ name: 'api-srv' });
  assert.match(anywhere.data.error?.message ?? '', /^no pod matches "api-srv" in any namespace; closest: apps\/api-server-/);
  const container = await call({ name: 'api-server', container: 'nginx' });
  assert.is(container.status, 404);
  assert.match(container.data.error?.message ?? '', /has no container "nginx"; containers: api-server$/);
  const ns = await call({ name: 'api-server', namespace: 'nope' });
  assert.is(ns.status, 404);
  assert.match(ns.data.error?.message ?? '', /^namespace "nope" does not exist in cluster ganglion-sim; existing namespaces: apps, /);
});

test('previous: true reads only the previous instance, and says so when there is none', async () => {
  const none = dataOf(await call({ name: 'placemyparents', previous: true }));
  assert.equal(none.logs.map((l) => l.previous), [true]);
  assert.match(none.logs[0]?.note ?? '', /previous terminated container "placemyparents" in pod "placemyparents-\S+" not found/);
  const current = dataOf(await call({ name: 'api-server', previous: false }));
  assert.equal(current.logs.map((l) => l.previous), [false]);
});

test('a pod that was never scheduled says why there are no logs instead of failing', async () => {
  const res = await call({ name: 'batch-analytics' });
  assert.is(res.status, 200);
  assert.match(res.data.summary ?? '', /Problem: not scheduled \(Unschedulable\): 0\/3 nodes are available/);
  assert.match(dataOf(res).logs[0]?.note ?? '', /does not have a host assigned/);
});

test('every container is named and the whole answer stays within 16 KB with an explicit truncation marker', async () => {
  const res = await waitFor('chatty to run', async () => {
    const r = await chattyCall({ name: 'chatty', tailLines: 1000 });
    return dataOf(r).logs.every((l) => l.text) ? r : undefined;
  });
  const d = dataOf(res);
  assert.equal(d.logs.map((l) => l.container), ['main', 'sidecar']);
  assert.is(d.truncated, true);
  const main = d.logs[0]!;
  assert.ok(main.droppedBytes > 0);
  assert.match(main.text, /^\[… truncated: \d+ earlier bytes \(\d+ lines\) not shown/);
  assert.ok(main.text.endsWith(`line 320 ${long}\n`));
  assert.is(d.logs[1]?.text, 'sidecar up\n');
  assert.ok(Buffer.byteLength(res.data.summary ?? '') < 17 * 1024, `summary is ${Buffer.byteLength(res.data.summary ?? '')} bytes`);
  assert.match(res.data.summary ?? '', /== container main — \d+ lines ==\n\[… truncated/);
  assert.match(res.data.summary ?? '', /== container sidecar — 1 line ==\nsidecar up/);
});

test.after(async () => {
  await lab.sim.stop();
  await chatty.stop();
});
test.run();
