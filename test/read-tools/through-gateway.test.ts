import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRequest } from '../../events/cloud-event.js';
import { startGateway } from '../../gateway/index.js';
import { HOME_LAB_FAULTS, startHomeLab, type FailingRow } from '../../testing/home-lab.js';
import type { ClusterStatusData } from '../../functions/cluster-status/handler.js';
import type { PodLogsData } from '../../functions/pod-logs/handler.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gateway.adminToken);

// The three read tools served by the embedded gateway (shared mode), called with CloudEvents as the planner calls them.
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const lab = await startHomeLab();
const stackFile = path.join(lab.home, 'stack.yml');
fs.writeFileSync(stackFile, `version: 1.0
provider:
  name: openfaas
  gateway: http://127.0.0.1:8080
functions:
${['cluster-status', 'failing-pods', 'pod-logs'].map((n) => `  ${n}:\n    lang: ganglion-ts\n    handler: ./functions/${n}\n    image: ghcr.io/ganglion/ganglion-${n}:test\n`).join('')}`);
const gateway = await startGateway({ stackFile, mode: 'shared', home: lab.home, port: 0, distRoot, env: { KUBECONFIG: lab.kubeconfig, LOG_LEVEL: 'silent' } });

let seq = 0;
/** POSTs a binary-mode step.requested event and reads the answer as a CloudEvent. */
async function invoke(fn: string, data: unknown, extra: Record<string, string> = {}) {
  const res = await authed(`${gateway.url}/function/${fn}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': `t-${++seq}`, 'ce-source': '/ganglion/planner',
      'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'run-7', 'ce-stepid': `s${seq}`, ...extra,
    },
    body: JSON.stringify(data),
  });
  const headers = Object.fromEntries(res.headers);
  const body = await res.text();
  // The project's codec validates the answer as a CloudEvent (specversion, id, source, type) or throws.
  const received = readRequest(headers, Buffer.from(body));
  if (received.kind !== 'event') throw new Error(`the answer of ${fn} is not a CloudEvent: ${body.slice(0, 200)}`);
  const event = received.event;
  assert.is(event.mode, 'binary');
  return { status: res.status, headers, event, data: event.data as { summary?: string; data?: unknown; error?: { code: string; message: string } } };
}

test('failing-pods answers a binary step.completed event carrying the run, with every scripted fault field by field', async () => {
  const res = await invoke('failing-pods', {});
  assert.is(res.status, 200);
  assert.is(res.event.type, 'dev.ganglion.step.completed');
  assert.is(res.event.source, '/ganglion/failing-pods');
  assert.is(res.headers['ce-runid'], 'run-7');
  const failing = (res.data.data as { failing: FailingRow[] }).failing;
  assert.equal(Object.fromEntries(failing.map((f) => [`${f.namespace}/${f.owner?.split('/')[1] ?? f.pod}`, f.reason])), HOME_LAB_FAULTS);
  const api = failing.find((f) => f.owner === 'deployment/api-server')!;
  assert.equal([api.lastExit?.reason, api.lastExit?.exitCode, api.image], ['Error', 1, 'registry.local/api-server:3.2.1']);
  assert.is(failing.find((f) => f.owner === 'deployment/notifier')?.image, 'registry.local/notifier:1.0.3');
  assert.is(failing.find((f) => f.owner === 'deployment/image-resizer')?.lastExit?.exitCode, 137);
});

test('cluster-status through the gateway: three ready arm64 nodes, placemyparents 3/3 at image 1.4', async () => {
  const res = await invoke('cluster-status', {});
  const d = res.data.data as ClusterStatusData;
  assert.equal(d.nodes.map((n) => `${n.name} ${n.status} ${n.arch} ${n.capacity.cpu}`), ['pi-1 Ready arm64 4', 'pi-2 Ready arm64 4', 'pi-3 Ready arm64 4']);
  const pmp = d.workloads.find((w) => w.name === 'placemyparents')!;
  assert.equal([pmp.namespace, pmp.ready, pmp.desired, pmp.images], ['apps', 3, 3, ['registry.local/placemyparents:1.4']]);
  assert.ok(d.workloads.filter((w) => w.namespace === 'web').length === 3);
});

test('pod-logs takes a plain-text name as faas-cli sends it and answers text to Accept: text/plain', async () => {
  const res = await authed(`${gateway.url}/function/pod-logs`, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'text/plain' }, body: 'api-server\n' });
  assert.is(res.status, 200);
  const text = await res.text();
  assert.match(text, /^Logs of apps\/api-server-\S+ \(CrashLoopBackOff/);
  assert.match(text, /Error: connect ECONNREFUSED 10\.43\.12\.7:5432/);
  const structured = await invoke('pod-logs', { name: 'grafana', tailLines: 3 });
  const d = structured.data.data as PodLogsData;
  assert.is(d.namespace, 'monitoring');
  assert.is(d.logs[0]?.lines, 3);
});

test('an unknown pod is a failed step (404) naming the closest pods; an unknown namespace names the existing ones', async () => {
  const res = await invoke('pod-logs', { name: 'api-srv', namespace: 'apps' });
  assert.is(res.status, 404);
  assert.is(res.event.type, 'dev.ganglion.step.failed');
  assert.is(res.data.error?.code, 'pod_not_found');
  assert.match(res.data.error?.message ?? '', /^no pod matches "api-srv" in namespace apps; closest: api-server-/);
  const ns = await invoke('failing-pods', { namespace: 'prod' });
  assert.is(ns.status, 404);
  assert.match(ns.data.error?.message ?? '', /^namespace "prod" does not exist in cluster ganglion-sim; existing namespaces: apps, data, default/);
});

test('with kube-sim stopped, every tool answers 503 at once naming the API server', async () => {
  await lab.sim.stop();
  for (const [fn, input] of [['cluster-status', {}], ['failing-pods', {}], ['pod-logs', { name: 'api-server' }]] as const) {
    const res = await invoke(fn, input);
    assert.is(res.status, 503, fn);
    assert.is(res.event.type, 'dev.ganglion.step.failed');
    assert.is(res.data.error?.code, 'cluster_unreachable');
    assert.match(res.data.error?.message ?? '', new RegExp(`cannot reach ${lab.sim.url.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`));
  }
});

test.after(async () => {
  await gateway.stop();
  await lab.sim.stop();
});
test.run();
