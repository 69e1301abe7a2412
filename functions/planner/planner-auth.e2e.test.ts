/**
 * The planner behind the real gateway on kube-sim, called with tokens of each role: nobody changes the cluster, reads
 * a run or gets an approval token without the role for it, and the audit names who started and who approved.
 * The cluster is read with the real kubectl.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { RunView } from '../../events/run-schema.js';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { writeTestTokens, type RoleTokens } from '../../testing/auth.js';

const run = promisify(execFile);
let stack: HomeLabGateway;
let tokens: RoleTokens;

test.before(async () => {
  stack = await startHomeLabGateway();
  // the gateway's secret store, where every function reads ganglion-api-tokens (the admin token stays)
  tokens = writeTestTokens(path.join(stack.home, 'secrets'));
});
test.after(async () => {
  await stack?.stop();
});

const SCALE_TO_ZERO = { text: 'Scale the web tier to 0 replicas', context: { yes: true } };
type Answer = { status: number; headers: Headers; body: Partial<RunView> & { error?: { code: string; message: string }; token?: string } };

async function call(method: string, pathname: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${stack.gw.url}/function/planner${pathname}`, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) as Answer['body'] : {} };
}
/** The web tier's replicas as kubectl prints them. */
async function webReplicas(): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', stack.sim.kubeconfigPath, 'get', 'deployments', '-n', 'web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas} {end}'], { timeout: 30_000 });
  return stdout.trim();
}
async function streamText(runId: string, token: string): Promise<string> {
  const res = await fetch(`${stack.gw.url}/function/planner/runs/${runId}/events`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
  return res.text();
}

test('anonymous "scale the web tier to 0, yes" is 401 and kubectl shows the replicas unchanged; so is a viewer\'s 403 and an operator\'s yes', async () => {
  const before = await webReplicas();
  assert.match(before, /frontend=2/);
  const anonymous = await call('POST', '', undefined, SCALE_TO_ZERO);
  assert.is(anonymous.status, 401);
  assert.is(anonymous.body.error?.code, 'unauthenticated');
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
  const viewer = await call('POST', '', tokens.viewer, SCALE_TO_ZERO);
  assert.is(viewer.status, 403);
  const operatorYes = await call('POST', '', tokens.operator, SCALE_TO_ZERO);
  assert.is(operatorYes.status, 403);
  assert.match(operatorYes.body.error?.message ?? '', /needs role approver/);
  assert.is(await webReplicas(), before);
});

test('an operator\'s run waits for approval with no token in the answer or on the stream, and the operator cannot fetch one or approve', async () => {
  const started = await call('POST', '', tokens.operator, { text: 'Scale the web tier to 0 replicas' });
  assert.is(started.status, 202);
  assert.is(started.body.status, 'awaiting-approval');
  assert.is(started.body.approval?.token, undefined);
  assert.is(started.body.client, 'operator');
  const id = started.body.runId ?? '';
  const stream = await streamText(id, tokens.viewer);
  assert.match(stream, /event: awaiting-approval/);
  assert.not.match(stream, /"token"/);
  assert.is((await call('GET', `/runs/${id}/approval`, tokens.operator)).status, 403);
  // an approver who did not start it gets no token either
  assert.is((await call('GET', `/runs/${id}/approval`, tokens.approver)).status, 403);
  assert.is((await call('POST', `/runs/${id}/approve`, tokens.operator, { token: 'anything' })).status, 403);
  assert.match(await webReplicas(), /frontend=2/);
});

test('only an approver\'s token applies, and the audit record names who started and who approved', async () => {
  const started = await call('POST', '', tokens.approver, { text: 'Scale the web tier to 0 replicas' });
  assert.is(started.status, 202);
  const id = started.body.runId ?? '';
  const token = started.body.approval?.token;
  assert.type(token, 'string', 'the starter holding approver gets the token in the answer');
  assert.is((await call('POST', `/runs/${id}/approve`, tokens.operator, { token })).status, 403, 'an operator holding the token cannot use it');
  assert.match(await webReplicas(), /frontend=2/);
  const approved = await call('POST', `/runs/${id}/approve`, tokens.approver, { token });
  assert.is(approved.status, 200, JSON.stringify(approved.body).slice(0, 300));
  assert.is(approved.body.status, 'completed', approved.body.summary);
  assert.match(await webReplicas(), /frontend=0/);
  const applied = (await auditRecords(stateOf(stack.sim.kubeconfigPath))).filter((a) => a.runId === id && a.result === 'applied');
  assert.ok(applied.length > 0);
  assert.ok(applied.every((a) => a.client === 'approver' && a.approvedBy === 'approver'), JSON.stringify(applied[0]));
});

test('the starter holding approver fetches a fresh token from GET /runs/<id>/approval (the one before is void)', async () => {
  const started = await call('POST', '', tokens.approver, { text: 'Scale the web tier to 2 replicas' }, { prefer: 'respond-async' });
  assert.is(started.status, 202);
  const id = started.body.runId ?? '';
  assert.not.match(await streamText(id, tokens.approver), /"token"/);
  const fetched = await call('GET', `/runs/${id}/approval`, tokens.approver);
  assert.is(fetched.status, 200);
  assert.type(fetched.body.token, 'string');
  const rejected = await call('POST', `/runs/${id}/reject`, tokens.approver, { token: fetched.body.token });
  assert.is(rejected.status, 200);
  assert.is(rejected.body.status, 'rejected');
});

test('an approver approves an operator\'s run as themself (no token): applied once, the audit names both', async () => {
  const started = await call('POST', '', tokens.operator, { text: 'Scale the web tier to 1 replica' });
  assert.is(started.body.status, 'awaiting-approval');
  const id = started.body.runId ?? '';
  assert.is((await call('POST', `/runs/${id}/approve`, tokens.operator, { self: true })).status, 403, 'not the operator');
  assert.is((await call('POST', `/runs/${id}/approve`, tokens.approver, {})).status, 400, 'an empty body is no decision');
  assert.is((await call('POST', `/runs/${id}/approve`, tokens.approver, { token: 'a-guess' })).status, 403, 'a wrong token is refused, not ignored');
  assert.match(await webReplicas(), /frontend=0/, 'nothing applied yet (the run before left it at 0)');
  const approved = await call('POST', `/runs/${id}/approve`, tokens.approver, { self: true });
  assert.is(approved.status, 200, JSON.stringify(approved.body).slice(0, 300));
  assert.is(approved.body.status, 'completed', approved.body.summary);
  assert.match(await webReplicas(), /frontend=1/);
  const again = await call('POST', `/runs/${id}/approve`, tokens.approver, { self: true });
  assert.is(again.status, 409, 'spent: a second approval applies nothing');
  const applied = (await auditRecords(stateOf(stack.sim.kubeconfigPath))).filter((a) => a.runId === id && a.result === 'applied');
  assert.ok(applied.length > 0 && applied.every((a) => a.client === 'operator' && a.approvedBy === 'approver'), JSON.stringify(applied[0]));
});

test('run listing, a run, its events and the audit need viewer; the OpenAPI description needs nothing', async () => {
  assert.is((await call('GET', '/runs', undefined)).status, 401);
  assert.is((await call('GET', '/audit', undefined)).status, 401);
  assert.is((await call('GET', '/runs', tokens.viewer)).status, 200);
  assert.is((await call('GET', '/audit', tokens.viewer)).status, 200);
  assert.is((await call('GET', '/openapi.json', undefined)).status, 200);
  assert.is((await call('POST', '', tokens.viewer, { text: 'Show me cluster status' })).status, 403);
});

test.run();
