import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import * as deploy from '../../functions/deploy/handler.js';
import { createFunctionApp } from '../../host/function-app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { approvalKey, recordApproval, signApproval } from '../../host/approval-token.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { FAST_TIMING } from '../../testing/mutation-harness.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

// Two demo clusters in one kubeconfig, as contexts lab-a (the default) and lab-b: the `cluster` input picks one.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
let sims: KubeSim[] = [];
let kubeconfig = '';

interface KubeconfigDoc { clusters: { name: string; cluster: { server: string } }[]; users: { name: string; user: { token: string } }[] }

test.before(async () => {
  sims = await Promise.all(['a', 'b'].map((n) => startKubeSim({ home: path.join(home, n), port: 0, timing: FAST_TIMING })));
  const docs = sims.map((s) => parse(fs.readFileSync(s.kubeconfigPath, 'utf8')) as KubeconfigDoc);
  const names = ['lab-a', 'lab-b'];
  kubeconfig = path.join(home, 'kubeconfig');
  fs.writeFileSync(kubeconfig, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'lab-a',
    clusters: docs.map((d, i) => ({ name: names[i], cluster: { server: d.clusters[0]?.cluster.server, 'insecure-skip-tls-verify': true } })),
    users: docs.map((d, i) => ({ name: names[i], user: { token: d.users[0]?.user.token } })),
    contexts: names.map((n) => ({ name: n, context: { cluster: n, user: n } })),
  }));
});
test.after(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  fs.rmSync(home, { recursive: true, force: true });
});

async function imageOn(i: number): Promise<string | undefined> {
  const apps = (await createKubeAccess({ kubeconfig }).clients(['lab-a', 'lab-b'][i])).apps;
  return (await apps.readNamespacedDeployment({ namespace: 'apps', name: 'placemyparents' })).spec?.template.spec?.containers[0]?.image;
}

test('deploy with cluster: lab-b changes that cluster only, and the change names it', async () => {
  const config = loadConfig({ GANGLION_HOME: home, KUBECONFIG: kubeconfig, exec_timeout: '20s', GANGLION_APPROVAL_KEY: 'test-approval-key', GANGLION_SECRETS_DIR: path.join(home, 'secrets') });
  const app = createFunctionApp(deploy, { config, log: createLogger({ name: 't', level: 'silent' }), kube: createKubeAccess({ kubeconfig }) });
  const { operator } = writeTestTokens(config.alerts.secretsDir);
  const input = { name: 'placemyparents', tag: '2.0', cluster: 'lab-b' };
  const token = signApproval(approvalKey(config), { runId: 'r1', stepId: 's1', fn: 'deploy', input: deploy.meta.input.parse(input) });
  // The approval lives on the home cluster (the current context), whichever cluster the step changes.
  await installDefinitions(await createKubeAccess({ kubeconfig }).clients(), config.state.namespace);
  await recordApproval(stateClient(createKubeAccess({ kubeconfig }), config), token, { runId: 'r1', stepId: 's1', function: 'deploy', approvedBy: 'person', expiresAt: new Date(Date.now() + 60_000).toISOString() });
  const res = await app({ method: 'POST', path: '/', query: new URLSearchParams(), body: Buffer.from(JSON.stringify(input)), headers: { ...bearer(operator), 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'x1', 'ce-source': '/t', 'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'r1', 'ce-stepid': 's1', 'ce-approval': token } });
  const body = JSON.parse(String(res.body)) as { summary: string; data: { changes: { cluster?: string }[] } };
  assert.is(res.status, 200, String(res.body));
  assert.match(body.summary, /^set image placemyparents:1\.4 → 2\.0 on deployment\/placemyparents \(apps, lab-b\); rolled out, 3\/3 pods ready$/);
  assert.is(body.data.changes[0]?.cluster, 'lab-b');
  assert.is(await imageOn(1), 'registry.local/placemyparents:2.0');
  assert.is(await imageOn(0), 'registry.local/placemyparents:1.4');
});

test.run();
