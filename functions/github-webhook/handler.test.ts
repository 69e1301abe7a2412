import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKubeSim, loadScenario } from '@ganglion/kube-sim';
import { startGateway } from '../../gateway/index.js';
import { readAudit } from '../../audit/audit-log.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { stateClient, type GanglionObject } from '../../cluster-state/ganglion-objects.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { readPipelines } from '../../ci-pipelines/ci-pipelines.js';
import { createFunctionApp } from '../../host/function-app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import * as githubWebhook from './handler.js';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { signBody } from './signature.js';
import type { DeliveryRecord } from './delivery-store.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gateway.adminToken);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SECRET = 'It’s a Secret to Everybody';
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const stackFile = path.join(home, 'stack.yml');
const entry = (name: string, handler: string) => `  ${name}:\n    lang: ganglion-ts\n    handler: ${handler}\n    image: ghcr.io/ganglion/ganglion-${name}:test\n`;
fs.writeFileSync(stackFile, `version: 1.0\nprovider: {name: openfaas, gateway: http://127.0.0.1:8080}\nfunctions:\n${[
  entry('planner', './functions/planner'), entry('deploy', './functions/deploy'), entry('github-webhook', './functions/github-webhook'), entry('automate', './functions/automate'),
  entry('run-tests', './functions/github-webhook/testing/run-tests'), entry('verify', './functions/github-webhook/testing/verify'),
].join('')}`);
// Pushes deploy by commit: the simulated registry holds every tag of placemyparents, as a CI that pushes sha tags would.
const scenario = await loadScenario('home-lab');
scenario.simulation.registry = [...(scenario.simulation.registry ?? []), 'registry.local/placemyparents'];
const sim = await startKubeSim({ scenario, port: 0, home, timing: { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 20, terminateMs: 10, progressSecondMs: 50, crashBackoffMs: 60_000, maxBackoffMs: 60_000 } });
const kube = createKubeAccess({ kubeconfig: sim.kubeconfigPath });
// Ganglion's definitions (as `kubectl apply -f k8s/`), and a policy that approves deploys in apps.
const state = stateOf(sim.kubeconfigPath);
await installDefinitions(await kube.clients(), state.namespace);
await state.create('approvalpolicies', { metadata: { name: 'deploy-apps' }, spec: { approve: [{ functions: ['deploy'], namespaces: ['apps'] }] } });
const gateway = await startGateway({
  stackFile, mode: 'shared', home, port: 0, cron: false, distRoot: path.join(repoRoot, 'dist'),
  env: { KUBECONFIG: sim.kubeconfigPath, GITHUB_WEBHOOK_SECRET: SECRET, GANGLION_SECRETS_DIR: path.join(home, 'no-secrets'), GANGLION_STACK: stackFile, LOG_LEVEL: 'silent' },
});
// A second github-webhook replica: its own process state and HOME, sharing only the cluster and the gateway.
const home2 = fs.mkdtempSync(path.join(os.tmpdir(), 'g-replica-'));
// the same secrets as every replica (as OpenFaaS mounts them): the step key it signs its calls with, the API tokens
const config2 = loadConfig({ GANGLION_HOME: home2, KUBECONFIG: sim.kubeconfigPath, GITHUB_WEBHOOK_SECRET: SECRET, GANGLION_SECRETS_DIR: path.join(home, 'secrets'), GANGLION_GATEWAY_URL: gateway.url, LOG_LEVEL: 'silent' });
const replica = createFunctionApp(githubWebhook, { config: config2, log: createLogger({ name: 'github-webhook-2', level: 'silent' }), kube: createKubeAccess({ kubeconfig: sim.kubeconfigPath }) });
const kubeGet = async <T>(p: string): Promise<T> => (await (await fetch(`${sim.url}${p}`, { headers: { authorization: `Bearer ${sim.token}` } })).json()) as T;
const image = async () => (await kubeGet<{ spec: { template: { spec: { containers: Array<{ image: string }> } } } }>('/apis/apps/v1/namespaces/apps/deployments/placemyparents')).spec.template.spec.containers[0]!.image;
const jobs = async () => (await kubeGet<{ items: unknown[] }>('/apis/batch/v1/jobs')).items.length;
const calls = () => {
  const f = path.join(home, 'fake-calls.log');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { fn: string }).fn) : [];
};

function pushBody(ref: string, after: string): Buffer {
  return Buffer.from(JSON.stringify({
    ref, before: '0'.repeat(40), after, created: false, deleted: false,
    repository: { name: 'placemyparents', full_name: 'me/placemyparents', clone_url: 'https://github.com/me/placemyparents.git', ssh_url: 'git@github.com:me/placemyparents.git', html_url: 'https://github.com/me/placemyparents' },
    pusher: { name: 'me' }, head_commit: { message: 'listings: paginate' },
  }));
}
async function send(body: Buffer, { event = 'push', delivery, signature }: { event?: string; delivery: string; signature?: string }): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await authed(`${gateway.url}/function/github-webhook`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'user-agent': 'GitHub-Hookshot/abc', 'x-hub-signature-256': signature ?? signBody(SECRET, body) },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
/** The same delivery as `send`, to the second replica. */
async function sendToReplica(body: Buffer, delivery: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await replica({ method: 'POST', path: '/', query: new URLSearchParams(), body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': signBody(SECRET, body) } });
  return { status: res.status, json: JSON.parse(String(res.body)) as Record<string, unknown> };
}
async function settled(delivery: string): Promise<DeliveryRecord> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const rec = (await (await authed(`${gateway.url}/function/github-webhook/deliveries/${delivery}`)).json()) as DeliveryRecord;
    if (rec.status !== 'running') return rec;
    if (Date.now() > deadline) throw new Error(`delivery ${delivery} still running: ${JSON.stringify(rec)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a wrongly signed push gets 401 and nothing runs: no test Job, no deploy', async () => {
  const jobsBefore = await jobs();
  const body = pushBody('refs/heads/main', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
  const wrong = await send(body, { delivery: 'd-bad', signature: signBody('not the secret', body) });
  assert.is(wrong.status, 401);
  assert.match(String((wrong.json.error as { message: string }).message), /X-Hub-Signature-256 does not match/);
  const unsigned = await send(body, { delivery: 'd-bad2', signature: '' });
  assert.is(unsigned.status, 401);
  // Signed for another body: the signature covers the raw bytes.
  const tampered = await send(Buffer.from(body.toString().replace('listings', 'LISTINGS')), { delivery: 'd-bad3', signature: signBody(SECRET, body) });
  assert.is(tampered.status, 401);
  assert.equal(calls(), []);
  assert.is(await jobs(), jobsBefore);
  assert.is(await image(), 'registry.local/placemyparents:1.4');
  assert.is((await authed(`${gateway.url}/function/github-webhook/deliveries/d-bad`)).status, 404);
});

test('other events and other branches are acknowledged with 202 and ignored; ping answers 200', async () => {
  assert.is((await send(Buffer.from('{"zen":"hi","hook_id":1}'), { event: 'ping', delivery: 'd-ping' })).status, 200);
  const issue = await send(Buffer.from('{"action":"opened"}'), { event: 'issues', delivery: 'd-issue' });
  assert.is(issue.status, 202);
  assert.match(String(issue.json.ignored), /event "issues" is not acted on/);
  const feature = await send(pushBody('refs/heads/feature/x', 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678'), { delivery: 'd-feature' });
  assert.is(feature.status, 202);
  assert.match(String(feature.json.ignored), /refs\/heads\/feature\/x is not refs\/heads\/main/);
  assert.equal(calls(), []);
});

test('"When main branch updates, test and deploy automatically" sets up the pipeline and says how to point GitHub at it', async () => {
  const res = await authed(`${gateway.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'When main branch updates, test and deploy automatically', context: { client: 'test', yes: true } }) });
  const run = (await res.json()) as { status: string; summary: string };
  assert.is(run.status, 'completed', run.summary);
  assert.match(run.summary, /^Done\. Every push to main now runs the tests, deploys placemyparents \(tag = the commit\) and verifies it\. In GitHub add a webhook to http:\/\/127\.0\.0\.1:\d+\/function\/github-webhook, content type application\/json, signed with the secret stored as the OpenFaaS secret github-webhook-secret \(faas-cli secret create github-webhook-secret/);
  // A PushPipeline object: every github-webhook replica reads it from the cluster.
  assert.equal((await readPipelines(state)).map((p) => [p.branch, p.namespace, p.name]), [['main', 'apps', 'placemyparents']]);
  assert.equal(calls(), [], 'setting it up runs nothing');
});

test('a correctly signed push to main runs the tests, deploys through the planner under policy, then verifies', async () => {
  const sha = 'c0ffee4e5f60718293a4b5c6d7e8f9012345678a';
  const res = await send(pushBody('refs/heads/main', sha), { delivery: 'd-main' });
  assert.is(res.status, 202);
  assert.match(String(res.json.accepted), /push c0ffee4 to main: test → deploy → verify started/);
  const rec = await settled('d-main');
  assert.is(rec.status, 'succeeded', JSON.stringify(rec));
  assert.equal(rec.stages.map((s) => [s.name, s.status]), [['tests', 'passed'], ['deploy', 'passed'], ['verify', 'passed']]);
  assert.is(rec.summary, 'tests passed, placemyparents deployed (c0ffee4) and verified');
  assert.equal(calls(), ['run-tests', 'verify']);
  assert.is(await image(), 'registry.local/placemyparents:c0ffee4');
  const applied = (await auditRecords(state)).filter((r) => r.verb === 'deploy' && r.result === 'applied');
  assert.is(applied.length, 1);
  assert.equal({ client: applied[0]!.client, by: applied[0]!.approvedBy, after: applied[0]!.after }, { client: 'github-webhook', by: 'policy', after: { image: 'registry.local/placemyparents:c0ffee4' } });
  // GitHub redelivers the same delivery id: answered from the record, nothing runs again.
  const again = await send(pushBody('refs/heads/main', sha), { delivery: 'd-main' });
  assert.equal({ status: again.status, duplicate: again.json.duplicate }, { status: 200, duplicate: true });
  // …and so does a second replica that never saw it: the WebhookDelivery object says it ran.
  const elsewhere = await sendToReplica(pushBody('refs/heads/main', sha), 'd-main');
  assert.equal({ status: elsewhere.status, duplicate: elsewhere.json.duplicate, was: elsewhere.json.status }, { status: 200, duplicate: true, was: 'succeeded' });
  assert.equal(calls(), ['run-tests', 'verify']);
  assert.is((await replica({ method: 'GET', path: '/deliveries/d-main', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) })).status, 401, 'a delivery record is not for anyone');
  assert.is((await replica({ method: 'GET', path: '/deliveries/d-main', query: new URLSearchParams(), headers: { authorization: `Bearer ${gateway.adminToken}` }, body: Buffer.alloc(0) })).status, 200);
});

test('failing tests stop the push: nothing is deployed', async () => {
  fs.writeFileSync(path.join(home, 'fail-tests'), '');
  const res = await send(pushBody('refs/heads/main', 'dead00de5f60718293a4b5c6d7e8f9012345678a'), { delivery: 'd-red' });
  assert.is(res.status, 202);
  const rec = await settled('d-red');
  assert.is(rec.status, 'failed');
  assert.equal(rec.stages.map((s) => [s.name, s.status]), [['tests', 'failed'], ['deploy', 'skipped'], ['verify', 'skipped']]);
  assert.match(rec.stages[0]!.summary, /1 failed: listing › rejects an empty title/);
  assert.is(await image(), 'registry.local/placemyparents:c0ffee4');
});

test('one delivery reaching two replicas at once runs once', async () => {
  const before = calls().length;
  const body = pushBody('refs/heads/main', 'feed00de5f60718293a4b5c6d7e8f9012345678a');
  const answers = await Promise.all([send(body, { delivery: 'd-race' }), sendToReplica(body, 'd-race')]);
  assert.equal(answers.map((a) => a.status).sort(), [200, 202], JSON.stringify(answers.map((a) => a.json)));
  assert.is(answers.find((a) => a.status === 200)?.json.duplicate, true);
  const rec = await settled('d-race');
  assert.is(rec.status, 'failed', 'fail-tests is still set from the test before');
  assert.equal(calls().slice(before), ['run-tests'], 'the tests ran once');
});

test('the outcome is the WebhookDelivery object: kubectl-visible phase, commit and record', async () => {
  const o = await state.get<GanglionObject<{ delivery: string; commit: string }, { phase: string; record: DeliveryRecord }>>('webhookdeliveries', 'd-main');
  assert.equal([o?.spec.delivery, o?.spec.commit.slice(0, 7), o?.status?.phase, o?.status?.record.summary], ['d-main', 'c0ffee4', 'succeeded', 'tests passed, placemyparents deployed (c0ffee4) and verified']);
  assert.is((await authed(`${gateway.url}/function/github-webhook/deliveries/never-sent`)).status, 404);
});

test.after(async () => {
  fs.rmSync(home2, { recursive: true, force: true });
  await gateway.stop();
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
