/**
 * "The catalog is what is deployed": the real gateway (shared mode) serves stack.yml without `scale`, and the planner
 * answers which function is missing and how to deploy it, changing nothing; it reads the list with the gateway's
 * credentials, says so when they are refused, and plans with a function the moment it is deployed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { createKubeAccess, type KubeClients } from '../../cluster/kube-access.js';
import { stateClient, type GanglionObject, type StateClient } from '../../cluster-state/ganglion-objects.js';
import { loadConfig } from '../../kernel/config.js';
import type { RunView } from '../../events/run-schema.js';
import { repoRoot, startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => stack.gw.adminToken);

let stack: HomeLabGateway;
let kube: KubeClients;
let state: StateClient;
const WEB = ['frontend', 'web-proxy', 'docs-site'];

test.before(async () => {
  const all = Object.keys((parse(readFileSync(path.join(repoRoot, 'stack.yml'), 'utf8')) as { functions: Record<string, unknown> }).functions);
  stack = await startHomeLabGateway({ functions: all.filter((f) => f !== 'scale') });
  const access = createKubeAccess({ kubeconfig: stack.sim.kubeconfigPath, context: stack.sim.context });
  kube = await access.clients();
  // A monitor as `kubectl apply` (or automate) leaves it: the planner's catalog offers it as a check to run by name.
  state = stateClient(access, loadConfig({ GANGLION_HOME: stack.home }));
  await state.create<GanglionObject>('monitors', { metadata: { name: 'pod-health' }, spec: { description: 'pods that are not healthy', rule: { kind: 'pod-health' }, schedule: '*/5 * * * *', notify: ['slack'] } });
});
test.after(async () => {
  await stack?.stop();
});

/** `faas-cli secret update basic-auth-password`: what the planner reads, not what the gateway checks. */
async function updatePasswordSecret(value: string): Promise<void> {
  const res = await fetch(`${stack.gw.url}/system/secrets`, {
    method: 'PUT', headers: { authorization: `Basic ${Buffer.from(`admin:${stack.gw.password}`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'basic-auth-password', value }),
  });
  assert.is(res.status, 202, await res.text());
}

async function command(text: string, context: Record<string, unknown> = {}): Promise<RunView> {
  const res = await authed(`${stack.gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, context }) });
  return (await res.json()) as RunView;
}
const webReplicas = async () => Promise.all(WEB.map(async (name) => (await kube.apps.readNamespacedDeployment({ name, namespace: 'web' })).spec?.replicas));

test('with scale not deployed, "Scale the web tier to 5 replicas" fails naming scale and the faas-cli line, and changes nothing', async () => {
  const before = await webReplicas();
  const run = await command('Scale the web tier to 5 replicas', { yes: true });
  assert.is(run.status, 'failed', run.summary);
  assert.is(run.error?.code, 'function_not_deployed');
  assert.match(run.summary, /needs scale, which is not deployed on the gateway; nothing was run or changed\. Deploy with: faas-cli deploy -f stack\.yml --filter scale/);
  assert.equal(run.steps, []);
  assert.equal(await webReplicas(), before, 'no replicas changed');
  assert.equal((await auditRecords(stateOf(stack.sim.kubeconfigPath))).filter((a) => a.runId === run.runId), [], 'nothing was attempted');
});

test('a refused password makes the run say it could not read the list and plan with every stack.yml function', async () => {
  // The planner reads the gateway's password from its secret basic-auth-password: a wrong one there is refused.
  await updatePasswordSecret('wrong-password');
  try {
    // scale is not in the list the planner holds, so it reads the list again, with the refused password.
    const run = await command('Scale the web tier to 5 replicas');
    const note = run.notes?.find((n) => n.startsWith('could not read the deployed functions'));
    assert.ok(note, JSON.stringify(run.notes));
    assert.match(note, /the gateway refused the credentials from secret basic-auth-password \(401 at http:\/\/127\.0\.0\.1:\d+\/system\/functions\)/);
    assert.match(note, /planned with every function in stack\.yml$/);
    // With the full catalog the plan goes ahead, and the gateway itself answers that scale is not there.
    assert.is.not(run.error?.code, 'function_not_deployed');
    assert.match(run.summary, /scale failed: scale answered 404/);
    assert.equal(await webReplicas(), [2, 2, 1], 'frontend, web-proxy and docs-site as the home lab has them');
  } finally {
    await updatePasswordSecret(stack.gw.password);
  }
  const fixed = await command('Show me cluster status');
  assert.equal(fixed.notes ?? [], [], 'with the right credentials there is nothing to say');
});

test('once scale is deployed (as faas-cli deploy does it), the same command plans with it at once and scales', async () => {
  const auth = `Basic ${Buffer.from(`admin:${stack.gw.password}`).toString('base64')}`;
  const res = await fetch(`${stack.gw.url}/system/functions`, {
    method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'scale', image: 'ghcr.io/ganglion/ganglion-scale:0.1.0', annotations: { 'com.openfaas.serviceaccount': 'ganglion-scale' } }),
  });
  assert.is(res.status, 202, await res.text());
  // The planner's list is younger than its TTL and lacks scale: a plan naming scale reads it again.
  const run = await command('Scale the web tier to 5 replicas', { yes: true });
  assert.is(run.status, 'completed', run.summary);
  assert.equal(await webReplicas(), [5, 5, 5]);
});

test('a Monitor object is a check: "run the pod-health check now" plans one monitor step with it, nothing to approve', async () => {
  const run = await command('run the pod-health check now');
  assert.is(run.intent, 'run-check', run.summary);
  assert.equal(run.steps.map((s) => [s.fn, s.input, s.mutates]), [['monitor', { monitor: 'pod-health' }, false]]);
  assert.is.not(run.status, 'awaiting-approval');
});

test('a check no Monitor is named is refused with the known checks, and nothing runs or changes', async () => {
  const monitorsBefore = (await state.listAll('monitors')).map((m) => m.metadata.resourceVersion);
  const run = await command('run the disk-space check now', { yes: true });
  assert.is(run.status, 'failed');
  assert.is(run.error?.code, 'unknown_check');
  assert.match(run.summary, /^failed: I can't run the "disk-space" check yet: no monitor is named that, so nothing was run or changed; the checks there are: pod-health \(pods that are not healthy, \*\/5 \* \* \* \*\)$/);
  assert.equal(run.steps, []);
  assert.equal((await state.listAll('monitors')).map((m) => m.metadata.resourceVersion), monitorsBefore);
  assert.equal((await auditRecords(stateOf(stack.sim.kubeconfigPath))).filter((a) => a.runId === run.runId), [], 'nothing was attempted');
});

test.run();
