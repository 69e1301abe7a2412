/**
 * The scenario suite (`npm run scenarios`, part of `npm test`): every infrastructure and application-deployment
 * command of the README's "What you can say" table, typed into the ganglion CLI against a fresh kube-sim + gateway,
 * then checked on the CLUSTER (client-node and the real kubectl) the way k8s-ai-bench's verify scripts do — not
 * only the printed text. One body, run in each gateway mode (test/scenarios/scenarios*.test.ts): isolated mode is the
 * production form, every function in its own process with its own HOME and secrets.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { GatewayMode } from '../kernel/config.js';
import { describe, imageOf, podReady, podsOf, readDeployment, rolloutDone, waitFor } from './cluster-checks.js';
import { repoRoot, startScenarioStack, type ScenarioStack } from './scenario-stack.js';

const run = promisify(execFile);

/** The scenarios against a fresh stack in this gateway mode; call `.run()` on what it returns. */
export function scenarioSuite(mode: GatewayMode) {
  const s = suite(`scenarios (${mode} mode)`);
  let stack: ScenarioStack;

  s.before(async () => {
    stack = await startScenarioStack({ mode });
  });
  s.after(async () => {
    await stack?.stop();
  });

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run('kubectl', ['--kubeconfig', stack.kubeconfigPath, ...args], { timeout: 30_000 });
    return stdout;
  }

  /** Waits like `kubectl rollout status`; fails with the Deployment's state when it does not finish. */
  async function assertRolledOut(namespace: string, name: string) {
    const { ok, value } = await waitFor(() => readDeployment(stack.kube, namespace, name), rolloutDone);
    assert.ok(ok, `rollout of ${namespace}/${name} did not finish: ${describe(value)}`);
    const pods = await podsOf(stack.kube, value);
    assert.is(pods.length, value.spec?.replicas, `pods of ${name}: ${pods.map((p) => p.metadata?.name).join(', ')}`);
    for (const p of pods) {
      assert.ok(podReady(p), `pod ${p.metadata?.name} is not Ready (${p.status?.phase})`);
      assert.is(p.spec?.containers[0]?.image, imageOf(value), `pod ${p.metadata?.name} runs the Deployment's image`);
    }
    return value;
  }

  // ---- Infrastructure ----

  s('"Show me cluster status" answers with the nodes and the unhealthy pods the cluster really has', async () => {
    // Read before the command: a pod whose first crash lands while the command runs was healthy when it looked.
    const pods = await stack.kube.core.listPodForAllNamespaces();
    const r = await stack.cli(['Show me cluster status']);
    assert.is(r.code, 0, r.out + r.err);
    const nodes = await stack.kube.core.listNode();
    assert.ok(nodes.items.length > 0);
    const text = r.out;
    assert.match(text, new RegExp(`\\b${nodes.items.length}\\b`), `the node count ${nodes.items.length} appears`);
    // A crash-looping pod flips between running and back-off, so name it rather than its state of the moment.
    const restarting = pods.items.filter((p) => (p.status?.containerStatuses ?? []).some((c) => (c.restartCount ?? 0) > 0));
    assert.ok(restarting.length > 0, 'the demo cluster has a crash-looping pod');
    for (const p of restarting) assert.match(text, p.metadata?.name ?? '?', `${p.metadata?.name} (restarting) is called out`);
  });

  s('"Show me cluster status" --json gives a program the run: runId, status, steps', async () => {
    const r = await stack.cli(['--json', 'Show me cluster status']);
    assert.is(r.code, 0, r.err);
    const runView = JSON.parse(r.out) as { runId: string; status: string; steps: { fn: string; status: string }[] };
    assert.is(runView.status, 'completed');
    assert.ok(runView.runId);
    assert.ok(runView.steps.some((s) => s.fn === 'cluster-status' && s.status === 'completed'), JSON.stringify(runView.steps));
  });

  s('"List all failing pods" names every unhealthy pod with the reason a person acts on', async () => {
    // Unhealthy both just before and just after the command: a crash loop may look healthy for a moment.
    const unhealthyNow = async () => (await stack.kube.core.listPodForAllNamespaces()).items.filter((p) => p.status?.phase !== 'Succeeded' && !podReady(p));
    const before = new Set((await unhealthyNow()).map((p) => p.metadata?.uid));
    const r = await stack.cli(['List all failing pods']);
    assert.is(r.code, 0, r.out + r.err);
    const unhealthy = (await unhealthyNow()).filter((p) => before.has(p.metadata?.uid));
    assert.ok(unhealthy.length >= 3, `the demo cluster has unhealthy pods (found ${unhealthy.length})`);
    for (const p of unhealthy) {
      const name = p.metadata?.name ?? '';
      assert.match(r.out, name, `${name} is listed`);
      const reason = (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).find(Boolean);
      if (reason === 'CrashLoopBackOff' || reason === 'ImagePullBackOff' || reason === 'ErrImagePull') assert.match(r.out, /CrashLoopBackOff|ImagePullBackOff|ErrImagePull/);
    }
    assert.match(r.out, /Pending/, 'the Pending pod is explained');
  });

  s('"Get logs from the api-server pod" prints the tail of that pod\'s own log', async () => {
    const r = await stack.cli(['Get logs from the api-server pod']);
    assert.is(r.code, 0, r.out + r.err);
    const pods = await stack.kube.core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=api-server' });
    const pod = pods.items[0];
    assert.ok(pod, 'an api-server pod exists');
    assert.match(r.out, pod?.metadata?.name ?? '?');
    const logs: string[] = [];
    for (const previous of [false, true]) {
      const text = await stack.kube.core.readNamespacedPodLog({ namespace: 'apps', name: pod?.metadata?.name ?? '', previous }).catch(() => '');
      logs.push(...String(text).split('\n').map((l) => l.trim()).filter((l) => l.length > 8));
    }
    assert.ok(logs.length > 0, 'the api-server pod has a log');
    assert.ok(logs.some((line) => r.out.includes(line)), `a line of the real log appears in the answer:\n${r.out}`);
  });

  // ---- Application deployment ----

  s('"Deploy placemyparents version 2.0" with no terminal and no --yes stops at approval (exit 3) and changes nothing', async () => {
    const r = await stack.cli(['Deploy placemyparents version 2.0']);
    assert.is(r.code, 3, r.out + r.err);
    assert.match(r.out, /image placemyparents:1\.4 → (placemyparents:)?2\.0/);
    assert.match(r.out, /ganglion approve \S+ \S+/);
    assert.is(imageOf(await readDeployment(stack.kube, 'apps', 'placemyparents')), 'registry.local/placemyparents:1.4');
  });

  s('answering "n" at the approval prompt leaves the Deployment as it was', async () => {
    const r = await stack.cli(['Deploy placemyparents version 2.0'], { answers: 'n\n' });
    assert.is(r.code, 1, r.out + r.err);
    assert.match(r.out, 'Apply these changes? [y/N]');
    const d = await readDeployment(stack.kube, 'apps', 'placemyparents');
    assert.is(imageOf(d), 'registry.local/placemyparents:1.4');
    // the home lab starts at revision 2 (1.3, then 1.4)
    assert.is(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2', 'no new revision was rolled out');
  });

  s('"Deploy placemyparents version 2.0" --yes: image tag 2.0 and all pods ready (client-node and kubectl agree)', async () => {
    const r = await stack.cli(['--yes', 'Deploy placemyparents version 2.0']);
    assert.is(r.code, 0, r.out + r.err);
    const d = await assertRolledOut('apps', 'placemyparents');
    assert.is(imageOf(d), 'registry.local/placemyparents:2.0');
    assert.is(d.spec?.replicas, 3);
    assert.is(await kubectl('-n', 'apps', 'get', 'deployment', 'placemyparents', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'registry.local/placemyparents:2.0');
  });

  s('"Roll back the last deployment" --yes puts placemyparents back on 1.4 with all pods ready', async () => {
    const r = await stack.cli(['--yes', 'Roll back the last deployment']);
    assert.is(r.code, 0, r.out + r.err);
    assert.match(r.out, /placemyparents/);
    const d = await assertRolledOut('apps', 'placemyparents');
    assert.is(imageOf(d), 'registry.local/placemyparents:1.4');
    const history = await kubectl('-n', 'apps', 'rollout', 'history', 'deployment/placemyparents');
    // 1.3 (1), 1.4 (2), 2.0 (3): the rollback reuses 1.4's ReplicaSet as revision 4
    assert.match(history, /^4\s/m, `kubectl rollout history shows the rollback as revision 4:\n${history}`);
    assert.not.match(history, /^2\s/m, `revision 2 became revision 4:\n${history}`);
  });

  s('"Scale the web tier to 5 replicas" --yes: every tier=web Deployment has 5 ready replicas', async () => {
    const web = await stack.kube.apps.listDeploymentForAllNamespaces({ labelSelector: 'tier=web' });
    assert.ok(web.items.length >= 2, `the demo cluster has a web tier (${web.items.length} Deployments)`);
    const r = await stack.cli(['--yes', 'Scale the web tier to 5 replicas']);
    assert.is(r.code, 0, r.out + r.err);
    for (const item of web.items) {
      const d = await assertRolledOut(item.metadata?.namespace ?? '', item.metadata?.name ?? '');
      assert.is(d.spec?.replicas, 5, describe(d));
    }
    const replicas = await kubectl('get', 'deployments', '-A', '-l', 'tier=web', '-o', 'jsonpath={range .items[*]}{.status.readyReplicas}{" "}{end}');
    assert.equal(replicas.trim().split(' '), web.items.map(() => '5'), `kubectl sees 5 ready replicas on each web Deployment: ${replicas}`);
  });

  s('ganglion audit lists the applied changes: the deploy, the rollback and the scale', async () => {
    const r = await stack.cli(['audit']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /placemyparents/);
    assert.match(r.out, /replicas/);
    assert.match(r.out, /2\.0/);
  });

  s('ganglion monitors shows the monitor that "Alert me if any pod restarts more than 3 times" created', async () => {
    const created = await stack.cli(['--yes', 'Alert me if any pod restarts more than 3 times']);
    assert.is(created.code, 0, created.out + created.err);
    const r = await stack.cli(['monitors']);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /restart/i);
    assert.match(r.out, /every 5 minutes/);
  });

  s('the ganglion binary runs a command in its own process (stdin not a terminal)', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'ganglion.js'), 'Show me cluster status'], {
      // the stack's home, as ./quickstart.sh's user has it: the CLI finds its admin-token there
      env: { ...process.env, OPENFAAS_URL: stack.gatewayUrl, GANGLION_HOME: stack.home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.is(code, 0, out);
    assert.match(out, '✓');
  });

  return s;
}
