import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKubeAccess, type KubeClients } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startGateway, type Gateway } from '../../gateway/index.js';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { startOllamaServer, type OllamaTestServer } from '../../testing/ollama-server/ollama-server.js';
import { seedModel } from '../../testing/ollama-server/seed-scenarios.js';
import { cleanJson } from '../../testing/ollama-server/model-outputs.js';
import type { RunView } from '../../events/run-schema.js';
import { FAST_TIMING, repoRoot } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gw.adminToken);


let sim: KubeSim;
let gw: Gateway;
let ollama: OllamaTestServer;
let kube: KubeClients;

test.before(async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  ollama = await startOllamaServer({ models: [{ name: 'llama3.1:8b' }] });
  ollama.respond(seedModel);
  sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing: FAST_TIMING });
  // Ganglion's definitions, as `kubectl apply -f k8s/` would: the planner reads ApprovalPolicies and writes AuditRecords
  await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), 'ganglion');
  await sim.settle(2_000);
  await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients(), 'ganglion');
  gw = await startGateway({
    stackFile: path.join(repoRoot, 'stack.yml'), mode: 'shared', home, port: 0, distRoot: path.join(repoRoot, 'dist'),
    env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'error', OLLAMA_HOST: ollama.url, GANGLION_MODELS: 'llama3.1:8b' },
  });
  kube = await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients();
});
test.after(async () => {
  await gw?.stop();
  await sim?.stop();
  await ollama?.stop();
});

async function command(text: string): Promise<RunView> {
  const res = await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  return (await res.json()) as RunView;
}

test('with OLLAMA_HOST set the model plans in one call and the run names it', async () => {
  const before = ollama.modelCalls().length;
  const run = await command('Show me cluster status');
  assert.is(run.status, 'completed', run.summary);
  assert.is(run.planner, 'llama3.1:8b');
  assert.is(ollama.modelCalls().length - before, 1);
});

test("a model's plan still stops for approval, and approving it scales the web tier on the cluster", async () => {
  const run = await command('Scale the web tier to 5 replicas');
  assert.is(run.status, 'awaiting-approval', run.summary);
  assert.is(run.planner, 'llama3.1:8b');
  assert.is((await kube.apps.readNamespacedDeployment({ name: 'frontend', namespace: 'web' })).spec?.replicas, 2);
  const res = await authed(`${gw.url}/function/planner/runs/${run.runId}/approve`, { method: 'POST', body: JSON.stringify({ token: run.approval?.token }) });
  const done = (await res.json()) as RunView;
  assert.is(done.status, 'completed', done.summary);
  assert.is((await kube.apps.readNamespacedDeployment({ name: 'frontend', namespace: 'web' })).spec?.replicas, 5);
});

test('GANGLION_BRAIN_MAX_REPLANS=4 reaches the run engine: four re-plans on the cluster, then the run says they are spent', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const four = await startGateway({
    stackFile: path.join(repoRoot, 'stack.yml'), mode: 'shared', home, port: 0, distRoot: path.join(repoRoot, 'dist'),
    env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'error', OLLAMA_HOST: ollama.url, GANGLION_MODELS: 'llama3.1:8b', GANGLION_BRAIN_MAX_REPLANS: '4' },
  });
  // A model that asks for the logs of one more pod that does not exist after each failure, never concluding on its own.
  const pods = ['ghost-1', 'ghost-2', 'ghost-3', 'ghost-4', 'ghost-5', 'ghost-6'];
  ollama.enqueue(...pods.map((name, i) => cleanJson({ steps: [{ id: `s${i + 1}`, fn: 'pod-logs', input: { name, namespace: 'apps' }, dependsOn: [] }] })));
  const before = ollama.modelCalls().length;
  try {
    const res = await fetch(`${four.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${four.adminToken}` }, body: JSON.stringify({ text: 'Get logs from the ghost pod' }) });
    const run = (await res.json()) as RunView;
    assert.equal(run.steps.map((s) => [s.input.name, s.status]), pods.slice(0, 5).map((p) => [p, 'failed']));
    assert.is(ollama.modelCalls().length - before, 5, 'the plan and four re-plans; no fifth re-plan is asked');
    assert.is(run.status, 'failed');
    assert.match(run.conclusion ?? '', /^stopped re-planning: the run's 4 re-plans are spent \(step r4-s5 \(pod-logs\) failed: /);
  } finally {
    await four.stop();
  }
});

test.run();
