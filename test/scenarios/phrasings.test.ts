/**
 * The scenario lines phrased another way, through the CLI on a fresh kube-sim + gateway, each checked on the cluster:
 * users word things their own way (the README's "What you can say" table), and the cluster must end up the same.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describe, imageOf, podReady, readDeployment, rolloutDone, waitFor } from '../../testing/cluster-checks.js';
import { startScenarioStack, type ScenarioStack } from '../../testing/scenario-stack.js';

let stack: ScenarioStack;

test.before(async () => {
  stack = await startScenarioStack();
});
test.after(async () => {
  await stack?.stop();
});

async function rolledOut(namespace: string, name: string) {
  const { ok, value } = await waitFor(() => readDeployment(stack.kube, namespace, name), rolloutDone);
  assert.ok(ok, `rollout of ${namespace}/${name} did not finish: ${describe(value)}`);
  return value;
}

test('"how is the cluster doing?" answers with the cluster status', async () => {
  const r = await stack.cli(['how is the cluster doing?']);
  assert.is(r.code, 0, r.out + r.err);
  const nodes = await stack.kube.core.listNode();
  for (const n of nodes.items) assert.match(r.out, n.metadata?.name ?? '?');
});

test('"which pods are broken" names every unhealthy pod', async () => {
  const r = await stack.cli(['which pods are broken']);
  assert.is(r.code, 0, r.out + r.err);
  const pods = await stack.kube.core.listPodForAllNamespaces();
  for (const p of pods.items.filter((x) => x.status?.phase !== 'Succeeded' && !podReady(x))) assert.match(r.out, p.metadata?.name ?? '?');
});

test('"upgrade placemyparents to 2.0" --yes rolls out tag 2.0', async () => {
  const r = await stack.cli(['--yes', 'upgrade placemyparents to 2.0']);
  assert.is(r.code, 0, r.out + r.err);
  assert.is(imageOf(await rolledOut('apps', 'placemyparents')), 'registry.local/placemyparents:2.0');
});

test('"undo the last rollout" --yes puts placemyparents back on 1.4', async () => {
  const r = await stack.cli(['--yes', 'undo the last rollout']);
  assert.is(r.code, 0, r.out + r.err);
  assert.is(imageOf(await rolledOut('apps', 'placemyparents')), 'registry.local/placemyparents:1.4');
});

test('"set the web tier to 4 replicas" --yes leaves every tier=web Deployment at 4 ready replicas', async () => {
  const r = await stack.cli(['--yes', 'set the web tier to 4 replicas']);
  assert.is(r.code, 0, r.out + r.err);
  const web = await stack.kube.apps.listDeploymentForAllNamespaces({ labelSelector: 'tier=web' });
  assert.ok(web.items.length >= 2);
  for (const d of web.items) {
    const now = await rolledOut(d.metadata?.namespace ?? '', d.metadata?.name ?? '');
    assert.is(now.spec?.replicas, 4, describe(now));
  }
});

test.run();
