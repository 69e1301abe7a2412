/**
 * Through the real stack (kube-sim, gateway, planner and the apply/delete/node functions): each create answers
 * awaiting-approval with its field-by-field diff while kubectl shows nothing yet; after approval kubectl shows the
 * object with the right fields and the audit has the applied record. Bad manifests and empty selectors say so
 * before any approval prompt.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';
import type { RunView } from '../../events/run-schema.js';

const exec = promisify(execFile);
let stack: HomeLabGateway;
const authed = authedFetch(() => stack.gw.adminToken);

test.before(async () => { stack = await startHomeLabGateway(); });
test.after(async () => { await stack?.stop(); });

async function post(path: string, body: unknown): Promise<{ status: number; run: RunView }> {
  const res = await authed(`${stack.gw.url}/function/planner${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, run: (await res.json()) as RunView };
}
const command = (text: string) => post('', { text });

/** kubectl's answer, or '' when the object is not there. */
async function kubectl(...args: string[]): Promise<string> {
  const r = await exec('kubectl', ['--kubeconfig', stack.sim.kubeconfigPath, ...args], { timeout: 30_000 }).catch((err: { stderr?: string }) => ({ stdout: '', stderr: err.stderr ?? '' }));
  return r.stdout.trim();
}

/** Starts the command, checks it waits for approval with the diff and nothing in kubectl yet, approves, checks the audit. */
async function createApproved(text: string, diff: RegExp, absent: string[]): Promise<RunView> {
  const started = await command(text);
  assert.is(started.status, 202, `${text}: ${started.run.status} ${started.run.summary} ${started.run.question ?? ''}`);
  assert.is(started.run.status, 'awaiting-approval');
  const texts = (started.run.approval?.changes ?? []).map((c) => c.text).join('\n');
  assert.match(texts, diff, texts);
  assert.is(await kubectl(...absent), '', `${absent.join(' ')} before approval`);
  const ok = await post(`/runs/${started.run.runId}/approve`, { token: started.run.approval?.token });
  assert.is(ok.run.status, 'completed', `${text}: ${ok.run.summary}`);
  const applied = (await auditRecords(stateOf(stack.sim.kubeconfigPath))).filter((a) => a.runId === started.run.runId && a.result === 'applied');
  assert.ok(applied.length >= 1 && applied.every((a) => a.approvedBy === 'admin'), `audit of ${text}`);
  return ok.run;
}

test('"create a namespace called test": the diff, nothing in kubectl until approved, then the namespace', async () => {
  await createApproved('create a namespace called test', /object \(none\) → created on namespace\/test/, ['get', 'namespace', 'test', '-o', 'name']);
  assert.is(await kubectl('get', 'namespace', 'test', '-o', 'name'), 'namespace/test');
});

test('"Create an nginx pod called frontend-test in namespace qa" creates qa and the pod, running nginx', async () => {
  await createApproved('Create an nginx pod called frontend-test in namespace qa', /spec\.containers\[0\]\.image \(none\) → nginx[\s\S]* on pod\/frontend-test \(qa\)/, ['get', 'pod', 'frontend-test', '-n', 'qa', '-o', 'name']);
  assert.is(await kubectl('get', 'namespace', 'qa', '-o', 'name'), 'namespace/qa');
  assert.is(await kubectl('get', 'pod', 'frontend-test', '-n', 'qa', '-o', 'jsonpath={.spec.containers[0].image}'), 'nginx');
});

test('a Deployment with image and replicas, then "expose" it as a Service on port 80', async () => {
  await createApproved('create a deployment web2 with image nginx:1.27 and 3 replicas in namespace web', /spec\.replicas \(none\) → 3/, ['get', 'deployment', 'web2', '-n', 'web', '-o', 'name']);
  assert.is(await kubectl('get', 'deployment', 'web2', '-n', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}'), '3 nginx:1.27');
  await createApproved('expose deployment web2 on port 80', /spec\.ports\[0\]\.port \(none\) → 80/, ['get', 'service', 'web2', '-n', 'web', '-o', 'name']);
  assert.is(await kubectl('get', 'service', 'web2', '-n', 'web', '-o', 'jsonpath={.spec.selector.app} {.spec.ports[0].port}'), 'web2 80');
});

test('a ConfigMap with LOG_LEVEL=debug and a pod with cpu and memory limits', async () => {
  await createApproved('create a configmap app-settings with LOG_LEVEL=debug in apps', /data\.LOG_LEVEL \(none\) → debug/, ['get', 'configmap', 'app-settings', '-n', 'apps', '-o', 'name']);
  assert.is(await kubectl('get', 'configmap', 'app-settings', '-n', 'apps', '-o', 'jsonpath={.data.LOG_LEVEL}'), 'debug');
  await createApproved('create a pod called limited with image nginx, cpu limit 500m and memory limit 256Mi in namespace apps', /limits\.cpu \(none\) → 500m/, ['get', 'pod', 'limited', '-n', 'apps', '-o', 'name']);
  assert.is(await kubectl('get', 'pod', 'limited', '-n', 'apps', '-o', 'jsonpath={.spec.containers[0].resources.limits.cpu} {.spec.containers[0].resources.limits.memory}'), '500m 256Mi');
});

test('a Role and its RoleBinding: kubectl shows the rules and the subject', async () => {
  await createApproved('create a role pod-reader in apps that can get, list pods', /rules\[0\]\.verbs \(none\) → \["get","list"\]/, ['get', 'role', 'pod-reader', '-n', 'apps', '-o', 'name']);
  assert.is(await kubectl('get', 'role', 'pod-reader', '-n', 'apps', '-o', 'jsonpath={.rules[0].resources[0]}:{.rules[0].verbs}'), 'pods:["get","list"]');
  await createApproved('bind role pod-reader to user alice in apps', /on rolebinding\/pod-reader-alice \(apps\)/, ['get', 'rolebinding', 'pod-reader-alice', '-n', 'apps', '-o', 'name']);
  assert.is(await kubectl('get', 'rolebinding', 'pod-reader-alice', '-n', 'apps', '-o', 'jsonpath={.roleRef.name} {.subjects[0].kind}/{.subjects[0].name}'), 'pod-reader User/alice');
});

test('network policies: deny all ingress in a namespace, and allow frontend into placemyparents', async () => {
  await createApproved('create a network policy that denies all ingress in namespace data', /spec\.policyTypes \(none\) → \["Ingress"\]/, ['get', 'networkpolicy', 'deny-all-ingress', '-n', 'data', '-o', 'name']);
  assert.is(await kubectl('get', 'networkpolicy', 'deny-all-ingress', '-n', 'data', '-o', 'jsonpath={.spec.policyTypes}'), '["Ingress"]');
  await createApproved('allow ingress to placemyparents from frontend pods', /on networkpolicy\/allow-frontend-to-placemyparents \(apps\)/, ['get', 'networkpolicy', 'allow-frontend-to-placemyparents', '-n', 'apps', '-o', 'name']);
  assert.is(await kubectl('get', 'networkpolicy', 'allow-frontend-to-placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.podSelector.matchLabels.app}<-{.spec.ingress[0].from[0].podSelector.matchLabels.app}'), 'placemyparents<-frontend');
});

test('"delete the failed pods" lists exactly the failed pod, deletes nothing until approved, then it is gone', async () => {
  const started = await command('delete the failed pods');
  assert.is(started.run.status, 'awaiting-approval', started.run.summary);
  assert.equal((started.run.approval?.changes ?? []).map((c) => `${c.namespace}/${c.object}`), ['monitoring/pod/log-shipper-5d8f7']);
  assert.is(await kubectl('get', 'pod', 'log-shipper-5d8f7', '-n', 'monitoring', '-o', 'name'), 'pod/log-shipper-5d8f7');
  const ok = await post(`/runs/${started.run.runId}/approve`, { token: started.run.approval?.token });
  assert.is(ok.run.status, 'completed', ok.run.summary);
  assert.is(await kubectl('get', 'pod', 'log-shipper-5d8f7', '-n', 'monitoring', '-o', 'name'), '');
  // now nothing matches: said so, nothing to approve
  const again = await command('delete the failed pods');
  assert.is(again.run.status, 'completed', again.run.summary);
  assert.match(again.run.summary, /no pods match status\.phase=Failed in any namespace; nothing to delete, nothing was changed/);
});

test('"cordon pi-2" waits for approval, then kubectl shows it unschedulable; "uncordon pi-2" undoes it', async () => {
  await createApproved('cordon pi-2', /unschedulable false → true on node\/pi-2/, ['get', 'node', 'pi-2', '-o', 'jsonpath={.spec.unschedulable}']);
  assert.is(await kubectl('get', 'node', 'pi-2', '-o', 'jsonpath={.spec.unschedulable}'), 'true');
  const un = await command('uncordon pi-2');
  await post(`/runs/${un.run.runId}/approve`, { token: un.run.approval?.token });
  assert.match(await kubectl('get', 'node', 'pi-2', '-o', 'jsonpath={.spec.unschedulable}'), /^(false)?$/);
});

test('bad manifests get a clear error before any approval prompt; a Secret never appears in the output', async () => {
  const apply = async (manifest: string) => {
    const res = await authed(`${stack.gw.url}/function/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ manifest, dryRun: true }) });
    return { status: res.status, text: await res.text() };
  };
  const unknown = await apply('apiVersion: v1\nkind: Widget\nmetadata: {name: w}\n');
  assert.is(unknown.status, 400);
  assert.match(unknown.text, /unknown kind Widget: v1 serves no kind Widget/);
  const wrong = await apply('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: apps}\nspec: {replicas: "three", selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: nginx}]}}}\n');
  assert.is(wrong.status, 400);
  assert.match(wrong.text, /field spec\.replicas must be integer/);
  const secret = await apply('apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: apps}\nstringData: {password: hunter2}\n');
  assert.is(secret.status, 403);
  assert.match(secret.text, /Secrets are denied/);
  assert.not.match(secret.text, /hunter2/);
  const refused = await command('create a secret called db-pass with password hunter2');
  assert.is(refused.run.status, 'needs-input');
  assert.equal(refused.run.steps, []);
  assert.is(await kubectl('get', 'secret', 'db-pass', '-A', '-o', 'name'), '');
});

test.run();
