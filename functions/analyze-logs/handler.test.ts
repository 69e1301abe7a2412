import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHomeLab } from '../../testing/home-lab.js';
import { createFunctionApp } from '../../host/function-app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { stateClient, type GanglionObject } from '../../cluster-state/ganglion-objects.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { baselineName, baselineScope } from './baseline-store.js';
import { signature, categorise } from './log-patterns.js';
import * as analyzeLogs from './handler.js';
import type { Pattern } from './group-patterns.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

const lab = await startHomeLab();
const kube = createKubeAccess({ kubeconfig: lab.kubeconfig });
await installDefinitions(await kube.clients(), 'ganglion');
const config = loadConfig({ GANGLION_HOME: lab.home, KUBECONFIG: lab.kubeconfig });
const state = stateClient(kube, config);
const secretsDir = path.join(lab.home, 'test-secrets');
const { admin } = writeTestTokens(secretsDir);
const appIn = (home: string) => createFunctionApp(analyzeLogs, { config: loadConfig({ GANGLION_HOME: home, KUBECONFIG: lab.kubeconfig, GANGLION_SECRETS_DIR: secretsDir }), log: createLogger({ name: 'analyze-logs', level: 'silent' }), kube: createKubeAccess({ kubeconfig: lab.kubeconfig }) });
const app = appIn(lab.home);
// A second replica: its own HOME, the same cluster.
const home2 = fs.mkdtempSync(path.join(os.tmpdir(), 'g-replica-'));
const replica = appIn(home2);
type BaselineObject = GanglionObject<{ scope: string; baseline: Record<string, { count: number; seenAt: string }> }>;
async function call(input: unknown, to = app): Promise<{ status: number; summary: string; data: { firstRun: boolean; patterns: Pattern[] } }> {
  const res = await to({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/json', ...bearer(admin) }, body: Buffer.from(JSON.stringify(input)) });
  return { status: res.status, ...(JSON.parse(String(res.body)) as { summary: string; data: { firstRun: boolean; patterns: Pattern[] } }) };
}
const find = (ps: Pattern[], cat: string, owner: string) => ps.find((p) => p.category === cat && p.owners.includes(owner));

test('the same failure from different pods and times has one signature', () => {
  assert.is(signature('2026-11-25T10:00:01Z Error: connect ECONNREFUSED 10.43.12.7:5432'), signature('2026-11-25T11:30:00.5Z Error: connect ECONNREFUSED 10.43.99.1:6379'));
  assert.is(signature('logger=context t=2026-11-25T12:44:05.200Z level=error status=503 requestId="req-77"'), signature('logger=context t=2026-11-25T12:44:05.400Z level=error status=503 requestId="req-78"'));
  assert.is(categorise('    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1610:16) {'), undefined);
  assert.is(categorise('{"level":"info","msg":"listening on :8080"}'), undefined);
  assert.is(categorise('java.lang.OutOfMemoryError: Java heap space'), 'oom');
});

test('groups the home-lab errors across pods, each with a fix that names the specifics', async () => {
  const r = await call({});
  assert.is(r.status, 200, r.summary);
  assert.ok(r.data.firstRun);
  const refused = find(r.data.patterns, 'connection-refused', 'apps/deployment/api-server');
  assert.ok(refused, r.summary);
  assert.ok(r.data.patterns.some((p) => p.category === 'connection-refused' && /10\.43\.12\.7:5432/.test(p.fix)), r.summary);
  const oom = find(r.data.patterns, 'oom', 'apps/deployment/image-resizer');
  assert.match(oom?.fix ?? '', /raise the memory limit \(now 128Mi\) of deployment\/image-resizer/);
  const grafana = find(r.data.patterns, 'http-5xx', 'monitoring/deployment/grafana');
  assert.ok(grafana && grafana.count >= 1, r.summary);
  assert.is(r.data.patterns.filter((p) => p.category === 'http-5xx' && p.owners.includes('monitoring/deployment/grafana')).length, 1, 'one pattern, not one per timestamp');
  assert.match(r.summary, /^\d+ error patterns in the logs of \d+ pods \(first analysis: this is now the baseline\)/);
});

test('the baseline is a LogBaseline object of the scope, which another replica compares against', async () => {
  const o = await state.get<BaselineObject>('logbaselines', baselineName(baselineScope('ganglion-sim')));
  assert.is(o?.spec.scope, 'ganglion-sim/all');
  assert.ok(Object.keys(o?.spec.baseline ?? {}).some((k) => k.startsWith('oom ')), JSON.stringify(o?.spec));
  const r = await call({}, replica);
  assert.is(r.data.firstRun, false, r.summary);
  assert.match(r.summary, /; 0 new or rising since the last analysis/);
});

test('two analyses of one scope at once both finish, and the baseline holds one of them', async () => {
  const scope = baselineScope('ganglion-sim', 'apps');
  const answers = await Promise.all([call({ namespace: 'apps' }), call({ namespace: 'apps' }, replica)]);
  assert.equal(answers.map((a) => a.status), [200, 200], answers.map((a) => a.summary).join('\n'));
  const o = await state.get<BaselineObject>('logbaselines', baselineName(scope));
  assert.equal(Object.keys(o?.spec.baseline ?? {}).sort(), answers[0]!.data.patterns.map((p) => `${p.category} ${p.signature}`).sort());
});

test('against the stored baseline, a pattern that grew is RISING and one never seen is NEW', async () => {
  const o = (await state.get<BaselineObject>('logbaselines', baselineName(baselineScope('ganglion-sim'))))!;
  const baseline = o.spec.baseline;
  const grafanaKey = Object.keys(baseline).find((k) => k.startsWith('http-5xx '))!;
  const oomKey = Object.keys(baseline).find((k) => k.startsWith('oom '))!;
  baseline[grafanaKey] = { count: 0, seenAt: baseline[grafanaKey]!.seenAt };
  delete baseline[oomKey];
  await state.replace('logbaselines', o);
  const r = await call({});
  assert.is(find(r.data.patterns, 'http-5xx', 'monitoring/deployment/grafana')?.trend, 'rising');
  assert.is(find(r.data.patterns, 'oom', 'apps/deployment/image-resizer')?.trend, 'new');
  assert.is(find(r.data.patterns, 'connection-refused', 'apps/deployment/api-server')?.trend, 'steady');
  assert.match(r.summary, /; 2 new or rising since the last analysis/);
  assert.match(r.summary, /- \[NEW\] oom ×1 in apps\/deployment\/image-resizer/);
});

test('a namespace narrows the analysis', async () => {
  const r = await call({ namespace: 'monitoring' });
  assert.ok(r.data.patterns.length > 0);
  assert.ok(r.data.patterns.every((p) => p.pods.every((pod) => pod.startsWith('monitoring/'))));
});

test.after(async () => {
  await lab.sim.stop();
  fs.rmSync(lab.home, { recursive: true, force: true });
  fs.rmSync(home2, { recursive: true, force: true });
});
test.run();
