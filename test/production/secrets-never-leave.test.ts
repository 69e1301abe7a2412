/**
 * Secrets never leave: on a cluster holding Secrets (a canary with a value nobody would guess, and the home lab's own)
 * and pods that take them through secretKeyRef and envFrom, no read tool's answer, no planner fact or prompt, and
 * no config-sync dry run contains a Secret value (as stored or decoded) or the kubeconfig's credentials.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startKubeSim } from '@ganglion/kube-sim';
import { TEST_TIMING, waitFor } from '../../testing/home-lab.js';
import { callerFor, tempHome } from '../../testing/read-tool-harness.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import { installDefinitions } from '../../cluster-state/install-definitions.js';
import { gatherFacts } from '../../functions/planner/cluster-facts.js';
import { factsText } from '../../functions/planner/ollama/plan-prompt.js';
import type { FunctionModule } from '../../function-kit/function-module.js';
import * as clusterStatus from '../../functions/cluster-status/handler.js';
import * as failingPods from '../../functions/failing-pods/handler.js';
import * as podLogs from '../../functions/pod-logs/handler.js';
import * as analyzeLogs from '../../functions/analyze-logs/handler.js';
import * as securityAudit from '../../functions/security-audit/handler.js';
import * as report from '../../functions/report/handler.js';

const run = promisify(execFile);
const home = tempHome();
const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing: TEST_TIMING });
const kube = createKubeAccess({ kubeconfig: sim.kubeconfigPath });
await installDefinitions(await kube.clients(), 'ganglion');

const CANARY = 'canary-Zebr4-41f9c7e2';
const manifest = `
apiVersion: v1
kind: Secret
metadata: {name: canary-credentials, namespace: apps}
type: Opaque
stringData: {password: ${CANARY}, token: ${CANARY}-token}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: canary-app, namespace: apps, labels: {app: canary-app}}
spec:
  replicas: 1
  selector: {matchLabels: {app: canary-app}}
  template:
    metadata: {labels: {app: canary-app}}
    spec:
      containers:
        - name: canary-app
          image: registry.local/canary-app:1.0
          envFrom: [{secretRef: {name: canary-credentials}}]
          env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: canary-credentials, key: password}}}]
`;
fs.writeFileSync(path.join(home, 'canary.yaml'), manifest);
await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'apply', '-f', path.join(home, 'canary.yaml')]);

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** The home lab's Secret values (placemyparents-db, api-server-db, postgres-credentials) and the canary's, stored and decoded. */
const VALUES = ['s3cr3t-password', 'api-secret', 'pg-super-secret', CANARY];
const FORBIDDEN = [...VALUES, ...VALUES.map(b64), sim.token, fs.readFileSync(sim.kubeconfigPath, 'utf8').split('\n').find((l) => l.includes('server:'))?.trim() ?? 'server:'];

const leaked = (answer: unknown): string[] => FORBIDDEN.filter((value) => JSON.stringify(answer).includes(value));
function assertClean(what: string, answer: unknown): void {
  assert.equal(leaked(answer), [], `${what} returned a secret`);
}

const calls: [string, FunctionModule, Record<string, unknown>][] = [
  ['cluster-status', clusterStatus, {}],
  ['failing-pods', failingPods, {}],
  ['pod-logs canary-app', podLogs, { name: 'canary-app', namespace: 'apps' }],
  ['pod-logs placemyparents', podLogs, { name: 'placemyparents', namespace: 'apps' }],
  ['analyze-logs', analyzeLogs, {}],
  ['security-audit', securityAudit, {}],
  ['report', report, {}],
];

test('the canary is really there: kubectl reads the Secret, and its pod runs with the value in its environment', async () => {
  const { stdout } = await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'get', 'secret', 'canary-credentials', '-n', 'apps', '-o', 'jsonpath={.data.password}']);
  assert.is(Buffer.from(stdout, 'base64').toString(), CANARY);
  await waitFor('a canary-app pod', async () => ((await (await kube.clients()).core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=canary-app' })).items.length ? true : undefined));
});

test('no read tool\'s answer holds a Secret value or the kubeconfig\'s credentials', async () => {
  for (const [what, mod, input] of calls) {
    const res = await callerFor(mod, sim.kubeconfigPath)(input);
    assert.is(res.status, 200, `${what}: ${res.status} ${JSON.stringify(res.data)}`);
    assertClean(what, res);
  }
});

test('the check can fail: what kubectl shows of the Secret, or the kubeconfig, is caught', async () => {
  const { stdout } = await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, 'get', 'secret', 'canary-credentials', '-n', 'apps', '-o', 'json']);
  assert.ok(leaked(JSON.parse(stdout)).includes(b64(CANARY)));
  assert.ok(leaked(fs.readFileSync(sim.kubeconfigPath, 'utf8')).includes(sim.token));
});

test('the planner\'s cluster facts, and the text of them a model is shown, hold no Secret value', async () => {
  const facts = await gatherFacts(kube, { withPods: true });
  assert.ok(facts.deployments.some((d) => JSON.stringify(d).includes('canary-app')), 'the canary Deployment is among the facts');
  assertClean('gatherFacts', facts);
  assertClean('factsText', factsText(facts));
});

test.after(async () => {
  await sim.stop();
  fs.rmSync(home, { recursive: true, force: true });
});
test.run();
