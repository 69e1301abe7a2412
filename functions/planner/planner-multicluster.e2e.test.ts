import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { startGateway, type Gateway } from '../../gateway/index.js';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import type { RunView } from '../../events/run-schema.js';
import { FAST_TIMING, repoRoot } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gw.adminToken);

const NAMES = ['home', 'prod', 'staging'];

let sims: KubeSim[] = [];
let gw: Gateway;
let kubeconfig: string;

test.before(async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  sims = await Promise.all(NAMES.map(() => startKubeSim({ scenario: 'home-lab', port: 0, timing: FAST_TIMING, token: 't' })));
  // Ganglion's definitions, as `kubectl apply -f k8s/` would: the planner reads ApprovalPolicies and writes AuditRecords
  for (const s of sims) await installDefinitions(await createKubeAccess({ kubeconfig: s.kubeconfigPath }).clients(), 'ganglion');
  await Promise.all(sims.map((s) => s.settle(2_000)));
  // One kubeconfig, three contexts: three clusters.
  kubeconfig = path.join(home, 'kubeconfig');
  writeFileSync(kubeconfig, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'home', preferences: {},
    clusters: sims.map((s, i) => ({ name: NAMES[i], cluster: { server: s.url, 'insecure-skip-tls-verify': true } })),
    users: [{ name: 'admin', user: { token: 't' } }],
    contexts: NAMES.map((n) => ({ name: n, context: { cluster: n, user: 'admin', namespace: 'default' } })),
  }));
  // The planner keeps its runs on the home cluster (the current context): Ganglion's definitions go there.
  await installDefinitions(await createKubeAccess({ kubeconfig }).clients(), 'ganglion');
  gw = await startGateway({
    stackFile: path.join(repoRoot, 'stack.yml'), mode: 'shared', home, port: 0, distRoot: path.join(repoRoot, 'dist'),
    env: { KUBECONFIG: kubeconfig, LOG_LEVEL: 'error' },
  });
});
test.after(async () => {
  await gw?.stop();
  await Promise.all(sims.map((s) => s.stop()));
});

test('"deploy placemyparents 2.0 to all 3 clusters" previews three changes, applies them in parallel, and reports one cluster that fails', async () => {
  const res = await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'deploy placemyparents 2.0 to all 3 clusters' }) });
  const run = (await res.json()) as RunView;
  assert.is(run.status, 'awaiting-approval', run.summary);
  assert.is(run.intent, 'multi-cluster-deploy');
  assert.equal(run.steps.map((s) => s.input.cluster), NAMES);
  assert.is(run.approval?.changes.length, 3);
  // Staging goes away before the change is applied.
  await sims[2]?.stop();
  const ok = await authed(`${gw.url}/function/planner/runs/${run.runId}/approve`, { method: 'POST', body: JSON.stringify({ token: run.approval?.token }) });
  const done = (await ok.json()) as RunView;
  assert.is(done.status, 'failed');
  assert.equal(done.steps.map((s) => s.status), ['completed', 'completed', 'failed']);
  assert.match(done.summary, /^deploy failed: .*; done: .*; done: /);
  for (const ctx of ['home', 'prod']) {
    const c = await createKubeAccess({ kubeconfig }).clients(ctx);
    const d = await c.apps.readNamespacedDeployment({ name: 'placemyparents', namespace: 'apps' });
    assert.is(d.spec?.template?.spec?.containers[0]?.image, 'registry.local/placemyparents:2.0', ctx);
  }
});

test.run();
