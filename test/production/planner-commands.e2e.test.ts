import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startGateway, type Gateway } from '../../gateway/index.js';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import type { RunView } from '../../events/run-schema.js';
import { tempHome } from '../../testing/read-tool-harness.js';
import { repoRoot } from '../../testing/k8s-files.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gw.adminToken);

let sim: KubeSim;
let gw: Gateway;

test.before(async () => {
  const home = tempHome();
  sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing: { tickMs: 10, readyMs: 20, podStartMs: 20, pullMs: 20 } });
  // Ganglion's definitions, as `kubectl apply -f k8s/` would: runs, approvals, policies and audit records live there
  await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients(), 'ganglion');
  gw = await startGateway({ stackFile: path.join(repoRoot, 'stack.yml'), mode: 'shared', home, port: 0, distRoot: path.join(repoRoot, 'dist'), env: { KUBECONFIG: sim.kubeconfigPath, LOG_LEVEL: 'error', OLLAMA_HOST: '' } });
});
test.after(async () => {
  await gw?.stop();
  await sim?.stop();
});

const command = async (text: string) => (await (await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })).json()) as RunView;

test('"Sync config from prod to staging": the planner shows the key-level diff, waits for approval, then applies exactly that diff', async () => {
  const run = await command('Sync config from prod to staging');
  assert.is(run.status, 'awaiting-approval', run.summary);
  assert.is(run.steps[0]?.fn, 'config-sync');
  const preview = run.approval?.changes ?? [];
  assert.ok(preview.some((c) => JSON.stringify(c).includes('configmap/staging/frontend-config') && JSON.stringify(c).includes('data.THEME')), JSON.stringify(preview));
  assert.not.ok(JSON.stringify(run).includes('dark'), 'values never shown');
  const core = (await createKubeAccess({ kubeconfig: sim.kubeconfigPath }).clients()).core;
  assert.is((await core.readNamespacedConfigMap({ namespace: 'staging', name: 'frontend-config' })).data?.THEME, 'light', 'nothing applied before approval');
  const res = await authed(`${gw.url}/function/planner/runs/${run.runId}/approve`, { method: 'POST', body: JSON.stringify({ token: run.approval?.token }) });
  const done = (await res.json()) as RunView;
  assert.is(done.status, 'completed', done.summary);
  assert.equal((done.steps[0]?.changes ?? []).length, preview.length);
  const web = (await core.readNamespacedConfigMap({ namespace: 'web', name: 'frontend-config' })).data;
  assert.equal((await core.readNamespacedConfigMap({ namespace: 'staging', name: 'frontend-config' })).data, web);
});

test('"Run security scans on all container images" goes through the planner to security-audit and names the risky pods', async () => {
  const run = await command('Run security scans on all container images');
  assert.is(run.status, 'completed', run.summary);
  assert.is(run.steps[0]?.fn, 'security-audit');
  assert.match(run.summary, /debug-shell/);
  assert.match(run.summary, /legacy-backup/);
});

test.run();
