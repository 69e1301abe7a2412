/** The planner app on a cluster's state: missing definitions answer 503 without a crash; a broken Run object breaks only itself. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import pino from 'pino';
import * as planner from './handler.js';
import { createFunctionApp } from '../../host/function-app.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { loadConfig } from '../../kernel/config.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import type { FnRequest } from '../../function-kit/function-module.js';
import { startStateCluster, type StateCluster } from '../../testing/state-cluster.js';
import type { RunObject, RunRecord } from './run-store.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

/** A planner process of its own (HOME, engine) on the cluster, and the log lines it wrote. */
function plannerApp(sc: StateCluster, name: string) {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk)) as { level: number; msg: string }); done(); } }));
  const config = loadConfig({ ...sc.config.env, GANGLION_HOME: `${sc.home}/${name}` });
  const { admin } = writeTestTokens(config.alerts.secretsDir);
  const app = createFunctionApp(planner, { config, log, kube: createKubeAccess({ kubeconfig: sc.sim.kubeconfigPath }) });
  const call = async (method: string, p: string, body = '') => {
    const req: FnRequest = { method, path: p, query: new URLSearchParams(p.split('?')[1] ?? ''), headers: { 'content-type': 'application/json', ...bearer(admin) }, body: Buffer.from(body) };
    const res = await app({ ...req, path: p.split('?')[0]! });
    return { status: res.status, json: JSON.parse(String(res.body)) as Record<string, unknown> };
  };
  return { call, lines };
}

const errorOf = (json: Record<string, unknown>) => (json.error ?? (json.data as Record<string, unknown> | undefined)?.error) as { code: string; message: string };

test('without the CRDs the planner logs one error and answers every request 503 naming kubectl apply -f k8s/; once applied it serves', async () => {
  const sc = await startStateCluster({ install: false });
  try {
    const p = plannerApp(sc, 'p1');
    const answers = [await p.call('POST', '/', JSON.stringify({ text: 'Show me cluster status' })), await p.call('GET', '/runs'), await p.call('GET', '/runs/abcdef-123'), await p.call('GET', '/runs')];
    for (const a of answers) {
      assert.is(a.status, 503);
      assert.is(errorOf(a.json).code, 'crds_missing');
      assert.match(errorOf(a.json).message, /kubectl apply -f k8s\//);
    }
    const errors = p.lines.filter((l) => l.level >= 50);
    assert.is(errors.length, 1, 'one error line, not one per request');
    assert.match(errors[0]!.msg, /ganglion\.dev.*kubectl apply -f k8s\//, errors[0]!.msg);
    await installDefinitions(sc.clients, sc.config.state.namespace);
    const after = await p.call('GET', '/runs');
    assert.is(after.status, 200);
    assert.equal(after.json.runs, []);
  } finally {
    await sc.stop();
  }
});

test('GET of a hand-broken Run object answers 500 naming the run and field; GET /runs lists the rest and names the broken one; a ?limit= that is not 1–200 is a 400', async () => {
  const sc = await startStateCluster();
  try {
    const p = plannerApp(sc, 'p2');
    const at = new Date().toISOString();
    const record = (runId: string): RunRecord => ({
      runId, status: 'completed', summary: 'nothing to do', text: 'Show me cluster status', client: 'test', planner: 'embedded', steps: [], data: {},
      createdAt: at, updatedAt: at, context: { yes: false, planOnly: false }, traceparent: '00-x-y-01', hopsLeft: 16, replans: 0, cluster: 'home',
    });
    for (const runId of ['good-run-1', 'broken-run-1']) await sc.state.create<RunObject>('runs', { metadata: { name: runId }, spec: { command: 'Show me cluster status' }, status: { phase: 'completed', record: record(runId) } });
    const obj = await sc.state.get<RunObject>('runs', 'broken-run-1');
    // as `kubectl edit` would leave it
    await sc.state.replace('runs', { ...obj!, status: { ...obj!.status, record: { ...record('broken-run-1'), steps: 'x' } } });
    const broken = await p.call('GET', '/runs/broken-run-1');
    assert.is(broken.status, 500);
    assert.is(errorOf(broken.json).code, 'run_invalid');
    assert.match(errorOf(broken.json).message, /^Run object broken-run-1 \(namespace ganglion\) does not hold a valid run: status\.record\.steps: /);
    assert.is((await p.call('GET', '/runs/good-run-1')).status, 200);
    const list = await p.call('GET', '/runs');
    assert.is(list.status, 200);
    assert.equal((list.json.runs as Array<{ runId: string }>).map((r) => r.runId), ['good-run-1']);
    assert.equal((list.json.unreadable as Array<{ runId: string }>).map((r) => r.runId), ['broken-run-1']);
    assert.is((await p.call('GET', '/runs?limit=1')).status, 200);
    for (const bad of ['-1', '0', '201', '2.5', 'ten', '1e2', ' 5']) {
      const r = await p.call('GET', `/runs?limit=${encodeURIComponent(bad)}`);
      assert.is(r.status, 400, bad);
      assert.match(errorOf(r.json).message, 'limit must be a whole number from 1 to 200');
    }
  } finally {
    await sc.stop();
  }
});

test.run();
