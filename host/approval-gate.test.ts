import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as z from 'zod';
import { createFunctionApp } from './function-app.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { approvalKey, approvalName, recordApproval, signApproval, type ApprovalObject } from './approval-token.js';
import { defineMeta, type FnRequest, type FunctionModule } from '../function-kit/function-module.js';
import { startStateCluster } from '../testing/state-cluster.js';
import { stepSigHeader } from '../testing/auth.js';
import { stepKey } from './step-key.js';

// One approval key for every replica, as the OpenFaaS secret gives each pod.
const sc = await startStateCluster({ env: { GANGLION_APPROVAL_KEY: 'replicas-share-this-key' } });
test.after(() => sc.stop());
const applied: number[] = [];
const input = z.object({ replicas: z.number().int(), dryRun: z.boolean().default(false) });
const mod: FunctionModule = {
  meta: defineMeta({ name: 'fake-scale', description: 'records what it would apply', input, mutates: true, access: 'operator', examples: [] }),
  async handle(raw) {
    const inp = input.parse(raw);
    if (!inp.dryRun) applied.push(inp.replicas);
    return { summary: inp.dryRun ? `would scale to ${inp.replicas}` : `scaled to ${inp.replicas}`, data: {} };
  },
};
/** A fresh function process (its own HOME and memory, the same cluster): a replica, or the same pod after a restart. */
const make = (host = 'fake-scale-a') => createFunctionApp(mod, {
  config: loadConfig({ ...sc.config.env, GANGLION_HOME: `${sc.home}/${host}`, HOSTNAME: host }),
  log: createLogger({ name: 't', level: 'silent' }), kube: createKubeAccess({ kubeconfig: sc.sim.kubeconfigPath }),
});
const event = (id: string, data: unknown, ext: Record<string, string>): FnRequest => ({
  method: 'POST', path: '/', query: new URLSearchParams(), body: Buffer.from(JSON.stringify(data)),
  headers: {
    'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': '/ganglion/planner', 'ce-type': 'dev.ganglion.step.requested', ...Object.fromEntries(Object.entries(ext).map(([k, v]) => [`ce-${k}`, v])),
    // sent as the planner sends it: signed, so the function knows who calls before it looks at the approval
    ...stepSigHeader(stepKey(sc.config), { id, fn: 'fake-scale', input: data, ...(ext.runid ? { runId: ext.runid } : {}), ...(ext.stepid ? { stepId: ext.stepid } : {}) }),
  },
});
const sign = (stepId: string, replicas: number) => signApproval(approvalKey(sc.config), { runId: 'r1', stepId, fn: 'fake-scale', input: { replicas, dryRun: false } });
const record = (token: string, stepId: string, expiresAt = new Date(Date.now() + 60_000)) =>
  recordApproval(sc.state, token, { runId: 'r1', stepId, function: 'fake-scale', approvedBy: 'person', expiresAt: expiresAt.toISOString() });
const codeOf = (body: unknown) => (JSON.parse(String(body)) as { error?: { code: string } }).error?.code;

test('a mutating function refuses a request without approval (403) and applies nothing', async () => {
  const res = await make()(event('e0', { replicas: 5 }, { runid: 'r1', stepid: 's1' }));
  assert.is(res.status, 403);
  assert.is(codeOf(res.body), 'approval_required');
  assert.equal(applied, []);
});

test('a dry run needs no approval and applies nothing', async () => {
  const res = await make()(event('e-dry', { replicas: 5, dryRun: true }, { runid: 'r1', stepid: 's1' }));
  assert.is(res.status, 200);
  assert.equal(applied, []);
});

test('an approval for other input is refused', async () => {
  const token = sign('s1', 5);
  await record(token, 's1');
  const res = await make()(event('e-other', { replicas: 50 }, { runid: 'r1', stepid: 's1', approval: token }));
  assert.is(res.status, 403);
  assert.is(codeOf(res.body), 'approval_required');
  assert.equal(applied, []);
});

test('a valid signature the planner recorded no Approval object for is refused 403 and applies nothing', async () => {
  const res = await make()(event('e-unrecorded', { replicas: 6 }, { runid: 'r1', stepid: 's-unrecorded', approval: sign('s-unrecorded', 6) }));
  assert.is(res.status, 403);
  assert.is(codeOf(res.body), 'approval_required');
  assert.match(String(res.body), /recorded no Approval object/);
  assert.equal(applied, []);
});

test('an Approval object past its expiresAt is refused 403 approval_expired', async () => {
  const token = sign('s-old', 7);
  await record(token, 's-old', new Date(Date.now() - 1000));
  const res = await make()(event('e-old', { replicas: 7 }, { runid: 'r1', stepid: 's-old', approval: token }));
  assert.is(res.status, 403);
  assert.is(codeOf(res.body), 'approval_expired');
  assert.equal(applied, []);
});

test('an approved step applies once and its Approval object says who spent it; re-sent under a new id to a restarted replica it is refused 409', async () => {
  const token = sign('s2', 5);
  await record(token, 's2');
  const first = await make('fake-scale-a')(event('e1', { replicas: 5 }, { runid: 'r1', stepid: 's2', approval: token }));
  assert.is(first.status, 200, String(first.body));
  const spent = await sc.state.get<ApprovalObject>('approvals', approvalName(token));
  assert.is(spent?.status?.spentBy, 'fake-scale@fake-scale-a');
  assert.ok(spent?.status?.spentAt);
  const replayed = await make('fake-scale-b')(event('e2', { replicas: 5 }, { runid: 'r1', stepid: 's2', approval: token }));
  assert.is(replayed.status, 409);
  assert.is(codeOf(replayed.body), 'approval_already_used');
  assert.equal(applied, [5]);
});

test('two replicas sent the same approval at once: exactly one applies, the other answers 409', async () => {
  applied.length = 0;
  const token = sign('s3', 8);
  await record(token, 's3');
  const answers = await Promise.all(['r-a', 'r-b', 'r-c'].map((host, i) => make(host)(event(`race-${i}`, { replicas: 8 }, { runid: 'r1', stepid: 's3', approval: token }))));
  assert.equal(answers.map((a) => a.status).sort(), [200, 409, 409]);
  assert.equal(applied, [8]);
});

test.run();
