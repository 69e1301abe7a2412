/**
 * The push webhook against the real run-tests and verify functions: their worker Jobs run on kube-sim against the
 * demo repository made with git. A wrongly signed push starts no Job; a signed one runs test Job → deploy → verify Job.
 * In isolated mode, as OpenFaaS runs them: github-webhook, the planner, run-tests, deploy and verify each in its own
 * process with its own HOME and secrets, sharing only the gateway and the cluster.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, loadScenario } from '@ganglion/kube-sim';
import { startGateway } from '../../gateway/index.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { createDemoRepo, demoRepoPath } from '../../workers/demo-repo.js';
import { FAST_TIMING, repoRoot } from '../../testing/scenario-stack.js';
import { signBody } from './signature.js';
import type { DeliveryRecord } from './delivery-store.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gateway.adminToken);

const SECRET = 'push-secret';
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
const repo = createDemoRepo(demoRepoPath(home));
const scenario = await loadScenario('home-lab');
scenario.simulation.registry = [...(scenario.simulation.registry ?? []), 'registry.local/placemyparents'];
const sim = await startKubeSim({ scenario, port: 0, home, timing: FAST_TIMING });
// Ganglion's definitions (as `kubectl apply -f k8s/`), and a policy that approves deploys in apps.
const state = stateOf(sim.kubeconfigPath);
await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), state.namespace);
await state.create('approvalpolicies', { metadata: { name: 'deploy-apps' }, spec: { approve: [{ functions: ['deploy'], namespaces: ['apps'] }] } });
await sim.settle(2_000);
const gateway = await startGateway({
  stackFile: path.join(repoRoot, 'stack.yml'), mode: 'isolated', home, port: 0, cron: false, distRoot: path.join(repoRoot, 'dist'),
  env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, GITHUB_WEBHOOK_SECRET: SECRET, GANGLION_REPO: repo, GANGLION_WORKER_TTL_S: '60', LOG_LEVEL: 'error' },
});
interface Job { metadata: { labels?: Record<string, string> }; status?: { succeeded?: number } }
// Agent Jobs only (home-lab has a Job of its own).
const jobs = async () => ((await (await fetch(`${sim.url}/apis/batch/v1/jobs`, { headers: { authorization: `Bearer ${sim.token}` } })).json()) as { items: Job[] }).items.filter((j) => j.metadata.labels?.['ganglion.dev/role']);
const image = async () => ((await (await fetch(`${sim.url}/apis/apps/v1/namespaces/apps/deployments/placemyparents`, { headers: { authorization: `Bearer ${sim.token}` } })).json()) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } }).spec.template.spec.containers[0]!.image;

const body = Buffer.from(JSON.stringify({
  ref: 'refs/heads/main', after: '5eed5eed00112233445566778899aabbccddeeff', deleted: false,
  repository: { name: 'placemyparents', full_name: 'me/placemyparents', clone_url: 'https://github.com/me/placemyparents.git' },
}));
const send = (signature: string, delivery: string) => authed(`${gateway.url}/function/github-webhook`, {
  method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': signature },
});

test('a wrongly signed push → 401 and no Job', async () => {
  const res = await send(signBody('wrong', body), 'bad-1');
  assert.is(res.status, 401);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await jobs(), []);
});

test('a signed push to main: run-tests Job passes, the planner deploys the commit under policy, a verify Job checks it', async () => {
  const res = await send(signBody(SECRET, body), 'good-1');
  assert.is(res.status, 202);
  const deadline = Date.now() + 50_000;
  let rec: DeliveryRecord;
  for (;;) {
    rec = (await (await authed(`${gateway.url}/function/github-webhook/deliveries/good-1`)).json()) as DeliveryRecord;
    if (rec.status !== 'running' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.is(rec.status, 'succeeded', JSON.stringify(rec, null, 2));
  assert.equal(rec.stages.map((s) => [s.name, s.status]), [['tests', 'passed'], ['deploy', 'passed'], ['verify', 'passed']]);
  assert.is(await image(), 'registry.local/placemyparents:5eed5ee');
  const roles = (await jobs()).map((j) => j.metadata.labels?.['ganglion.dev/role']).sort();
  assert.equal(roles, ['run-tests', 'verify']);
});

test.after(async () => {
  await gateway.stop();
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
