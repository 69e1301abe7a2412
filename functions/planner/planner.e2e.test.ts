import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { createKubeAccess, type KubeClients } from '../../cluster/kube-access.js';
import type { Gateway } from '../../gateway/index.js';
import type { KubeSim } from '@ganglion/kube-sim';
import type { RunView } from '../../events/run-schema.js';
import { startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gw.adminToken);


let stack: HomeLabGateway;
let sim: KubeSim;
let gw: Gateway;
let kube: KubeClients;

test.before(async () => {
  stack = await startHomeLabGateway();
  ({ sim, gw } = stack);
  kube = await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients();
});
test.after(async () => {
  await stack?.stop();
});

async function command(text: string, context: Record<string, unknown> = {}): Promise<{ status: number; type: string | null; run: RunView }> {
  const res = await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, context }) });
  return { status: res.status, type: res.headers.get('ce-type'), run: (await res.json()) as RunView };
}
async function post(pathname: string, body: unknown): Promise<{ status: number; body: { error?: { code: string }; status?: string } & Partial<RunView> }> {
  const res = await authed(`${gw.url}/function/planner${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } & Partial<RunView> };
}
const replicas = async (ns: string, name: string) => (await kube.apps.readNamespacedDeployment({ name, namespace: ns })).spec?.replicas;
const image = async (ns: string, name: string) => (await kube.apps.readNamespacedDeployment({ name, namespace: ns })).spec?.template?.spec?.containers[0]?.image;

test('faas-cli style plain text gets the cluster status as one line', async () => {
  const res = await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'text/plain' }, body: 'Show me cluster status' });
  assert.is(res.status, 200);
  const text = await res.text();
  assert.match(text, /node/i);
  assert.not.match(text, /^\{/);
});

test('scaling the web tier stops for approval, refuses a wrong token, applies with the right one, and refuses a replay', async () => {
  const started = await command('Scale the web tier to 5 replicas', { client: 'e2e' });
  assert.is(started.status, 202, started.run.summary);
  assert.is(started.type, 'dev.ganglion.run.awaiting-approval');
  const texts = started.run.approval?.changes.map((c) => c.text) ?? [];
  assert.ok(texts.some((t) => /replicas 2 → 5 on deployment\/frontend \(web\)/.test(t)), texts.join('\n'));
  assert.is(await replicas('web', 'frontend'), 2, 'nothing changed before approval');
  const wrong = await post(`/runs/${started.run.runId}/approve`, { token: 'nope' });
  assert.is(wrong.status, 403);
  assert.is(wrong.body.error?.code, 'approval_denied');
  assert.is(await replicas('web', 'frontend'), 2);
  const ok = await post(`/runs/${started.run.runId}/approve`, { token: started.run.approval?.token });
  assert.is(ok.status, 200, JSON.stringify(ok.body).slice(0, 500));
  assert.is(ok.body.status, 'completed', ok.body.summary);
  for (const name of ['frontend', 'web-proxy', 'docs-site']) assert.is(await replicas('web', name), 5, name);
  const replay = await post(`/runs/${started.run.runId}/approve`, { token: started.run.approval?.token });
  assert.is(replay.status, 409);
  const applied = (await auditRecords(stateOf(sim.kubeconfigPath))).filter((a) => a.runId === started.run.runId && a.result === 'applied');
  assert.is(applied.length, 3);
  // the client named in the body ('e2e') is ignored: the audit names who authenticated, and who approved
  assert.ok(applied.every((a) => a.client === 'admin' && a.approvedBy === 'admin' && a.verb === 'scale'), JSON.stringify(applied[0]));
});

test('deploy 2.0 then "roll back the last deployment" restores 1.4, as the cluster shows', async () => {
  const d = await command('Deploy placemyparents version 2.0', { yes: true });
  assert.is(d.run.status, 'completed', d.run.summary);
  assert.is(await image('apps', 'placemyparents'), 'registry.local/placemyparents:2.0');
  const r = await command('Roll back the last deployment');
  assert.is(r.status, 202, r.run.summary);
  assert.match(r.run.approval?.changes[0]?.text ?? '', /image placemyparents:2\.0 → 1\.4 on deployment\/placemyparents \(apps\)/);
  const ok = await post(`/runs/${r.run.runId}/approve`, { token: r.run.approval?.token });
  assert.is(ok.body.status, 'completed', ok.body.summary);
  assert.is(await image('apps', 'placemyparents'), 'registry.local/placemyparents:1.4');
});

test('an unknown Deployment fails naming the closest; the runs list and OpenAPI describe the API', async () => {
  const r = await command('restart placemyfriends');
  assert.is(r.type, 'dev.ganglion.run.failed');
  assert.match(r.run.summary, /no Deployment matches "placemyfriends"; closest: placemyparents \(apps\)/);
  const list = (await (await authed(`${gw.url}/function/planner/runs`)).json()) as { runs: RunView[] };
  assert.ok(list.runs.length >= 4);
  assert.ok(list.runs.every((x) => !x.approval?.token), 'no tokens in listings');
  const doc = (await (await authed(`${gw.url}/function/planner/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.is(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/runs/{id}/approve']);
});

test('HTTP edges: the text answer says how to approve; unknown run 404; missing token 400; GET never shows the token', async () => {
  const res = await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'text/plain', accept: 'text/plain' }, body: 'scale placemyparents to 4' });
  assert.is(res.status, 202);
  assert.is(res.headers.get('ce-type'), 'dev.ganglion.run.awaiting-approval');
  const runId = (res.headers.get('ce-subject') ?? '').replace(/^run\//, '');
  const text = await res.text();
  assert.match(text, /^approval needed: replicas 3 → 4 on deployment\/placemyparents \(apps\)\n/);
  assert.match(text, new RegExp(`ganglion approve ${runId} \\S+`));
  assert.is((await post('/runs/nope-123456/approve', { token: 'x' })).status, 404);
  assert.is((await post(`/runs/${runId}/approve`, {})).status, 400);
  const got = await authed(`${gw.url}/function/planner/runs/${runId}`);
  assert.is(got.status, 200);
  const view = (await got.json()) as RunView;
  assert.is(view.status, 'awaiting-approval');
  assert.is(view.approval?.token, undefined);
  const token = /ganglion approve \S+ (\S+)/.exec(text)?.[1];
  const rejected = await post(`/runs/${runId}/reject`, { token });
  assert.is(rejected.body.status, 'rejected');
  assert.is(await replicas('apps', 'placemyparents'), 3);
});

test('the event stream of a finished run replays plan, steps and done', async () => {
  const r = await command('List all failing pods');
  const res = await authed(`${gw.url}/function/planner/runs/${r.run.runId}/events`);
  assert.is(res.headers.get('content-type'), 'text/event-stream');
  const body = await res.text();
  assert.equal([...body.matchAll(/^event: (\S+)/gm)].map((m) => m[1]), ['plan', 'step', 'done']);
  assert.match(r.run.summary, /api-server/);
});

test.run();
