/**
 * Requests for a change or a run the embedded planner cannot make, or must make exactly: each gets the right plan,
 * or "I can't <verb> <object> yet; nothing was changed" with what it can do instead — never a read, an unrelated
 * change, or a Job that runs code. (planner-misroute.e2e.test.ts checks the cluster stays the same for some.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEmbeddedPlanner } from './embedded-planner.js';
import { homeLabFacts } from './testing/home-lab-facts.js';
import type { PlannerOutcome } from './plan.js';

const planner = createEmbeddedPlanner();
const plan = (text: string): Promise<PlannerOutcome> => planner.plan({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal });
const shape = (out: PlannerOutcome) => out.plan.steps.map((s) => `${s.fn}${JSON.stringify(s.input)}${s.mutates ? '!' : ''}`).join(' ');

/** Functions whose step runs code in a Job. */
const RUNS_CODE = new Set(['run-tests', 'coverage', 'code-review', 'security-audit', 'verify']);
const CANT = /^I can't (\S+(?: (?:down|up|off|on))?) (.+) yet; nothing was changed\. I can .+/;

/**
 * [request, what it must get]: a RegExp is a "can't" whose offer must match it; a string is the exact plan; `plan` a
 * pattern of the plan (a manifest is long); `ask` the question asked back instead of a guess (no steps).
 */
type Want = RegExp | string | { plan: RegExp } | { ask: RegExp };
const TABLE: [string, Want][] = [
  // the requests issue 17 lists
  ['Create an nginx pod called frontend-test in namespace qa', { plan: /^apply\{"manifest":"apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: qa\\n---\\napiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: frontend-test\\n  namespace: qa\\n.*- name: nginx\\n      image: nginx\\n"\}!$/ }],
  ['create a pod with resource limits of 256Mi memory and 500m cpu', { ask: /^Which image should the pod run\? e\.g\. "create an nginx pod called web-test/ }],
  ['create a namespace called test', 'apply{"manifest":"apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: test\\n"}!'],
  ['stop the notifier', /scale notifier to 0 replicas \("scale notifier to 0"\)/],
  ['delete the notifier deployment', /scale notifier to 0/],
  ['can you run the unit tests for feature/payments', 'run-tests{"branch":"feature/payments"}'],
  ['test placemyparents', 'run-tests{"app":"placemyparents","namespace":"apps"}'],
  ['delete the failed pods', 'delete{"kind":"pods","fieldSelector":"status.phase=Failed"}!'],
  ['kill the crashing pod', /restart api-server/],
  ['create a NetworkPolicy that denies all ingress to the apps namespace', { plan: /^apply\{.*kind: NetworkPolicy\\nmetadata:\\n  name: deny-all-ingress\\n  namespace: apps\\nspec:\\n  podSelector: \{\}\\n  policyTypes:\\n    - Ingress\\n"\}!$/ }],
  ['create a Role and RoleBinding that let the ci service account read pods in apps', /creating or editing/],
  ['create a pod that mounts the app-config and feature-flags ConfigMaps', /creating or editing/],
  // nodes
  ['cordon pi-2', 'node{"node":"pi-2","action":"cordon"}!'],
  ['drain pi-2', 'node{"node":"pi-2","action":"drain"}!'],
  ['please uncordon pi-3', 'node{"node":"pi-3","action":"uncordon"}!'],
  ['taint node pi-1 with dedicated=db:NoSchedule', /show the nodes/],
  ['evict the pods on node pi-2', /show the nodes/],
  ['restart the node pi-2', /show the nodes/],
  // creating objects
  ['create a secret called db-pass with password hunter2', /creating or editing/],
  ['create a deployment called hello with image nginx:1.27 and 2 replicas', { plan: /^apply\{.*kind: Deployment\\nmetadata:\\n  name: hello\\n  namespace: default\\n.*replicas: 2\\n.*image: nginx:1\.27\\n"\}!$/ }],
  ['create a ConfigMap named app-settings with LOG_LEVEL=debug', 'apply{"manifest":"apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: app-settings\\n  namespace: default\\ndata:\\n  LOG_LEVEL: debug\\n"}!'],
  ['create a cronjob that backs up postgres every night', /creating or editing|scale postgres/],
  ['create a job that runs the database migration', /creating or editing/],
  ['add a liveness probe to api-server', /api-server/],
  ['set up an ingress for docs-site at docs.home.lab', /docs-site/],
  ['create a horizontal pod autoscaler for frontend', /frontend/],
  ['create a service account called deployer', /creating or editing/],
  ['give the ci service account read access to pods', /creating or editing/],
  ['grant alice admin on namespace apps', /creating or editing/],
  ['block traffic from web to data', /creating or editing/],
  ['isolate the data namespace', /creating or editing/],
  ['run an nginx pod in the default namespace', { plan: /^apply\{.*kind: Pod\\nmetadata:\\n  name: nginx\\n  namespace: default\\n.*image: nginx\\n"\}!$/ }],
  ['I want a new namespace called sandbox', 'apply{"manifest":"apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: sandbox\\n"}!'],
  ['create a pod called test-runner', { ask: /^Which image should the pod run\?/ }],
  ['create a configmap called test-settings', 'apply{"manifest":"apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: test-settings\\n  namespace: default\\ndata: {}\\n"}!'],
  ['create a deployment called ci-runner', { ask: /^Which image should the deployment run\?/ }],
  ['apply this manifest to the cluster', /creating or editing/],
  ['install prometheus with helm', /creating or editing/],
  ['create a namespace qa and deploy nginx there', /creating or editing/],
  // editing objects
  ['expose the frontend deployment as a service on port 80', { plan: /^apply\{.*kind: Service\\nmetadata:\\n  name: frontend\\n  namespace: web\\nspec:\\n  selector:\\n    app: frontend\\n  ports:\\n    - port: 80\\n/ }],
  ['add the label team=web to frontend', /deploy a new image of frontend, scale it, restart it or roll it back/],
  ['patch the frontend deployment to set LOG_LEVEL=debug', /frontend/],
  ['annotate placemyparents with owner=alice', /placemyparents/],
  ['set memory limits of 512Mi on api-server', /api-server/],
  ['increase the cpu limit of frontend to 2 cores', /frontend/],
  ['rename frontend to web-frontend', /frontend/],
  ['move api-server to the staging namespace', /api-server/],
  ['remove the taint from pi-1', /show the nodes/],
  // deleting and stopping
  ['delete namespace staging', /creating or editing/],
  ['delete the test namespace', /creating or editing/],
  ['remove the redis deployment', /scale redis to 0/],
  ['shut down postgres', /scale postgres to 0/],
  ['pause the image-resizer', /scale image-resizer to 0/],
  ['kill api-server', /scale api-server to 0/],
  ['take down the docs site', /scale docs-site to 0/],
  ['uninstall grafana', /creating or editing/],
  ['stop the web tier', /creating or editing/],
  ['delete all pods in namespace apps', /restart the Deployment that owns them/],
  ['delete the api-server pods', /restart api-server/],
  ['kill all the crashlooping pods in apps', /restart api-server/],
  ['terminate the pending pods', /restart/],
  ['delete the failed jobs', /creating or editing/],
  ['remove the coverage-reports volume', /creating or editing/],
  ['stop the security-scanner deployment', /creating or editing/],
  ['kill the report-generator pod', /restart/],
  ['delete the review-app namespace', /creating or editing/],
  ['could you please delete the monitoring namespace?', /creating or editing/],
  // changes it can make: exactly the right one
  ['create a deployment web2 with image nginx:1.27 and 3 replicas in namespace web', { plan: /^apply\{"manifest":"apiVersion: apps\/v1\\nkind: Deployment\\nmetadata:\\n  name: web2\\n  namespace: web\\n.*replicas: 3\\n.*image: nginx:1\.27\\n"\}!$/ }],
  ['expose deployment placemyparents on port 8080', { plan: /^apply\{.*kind: Service\\nmetadata:\\n  name: placemyparents\\n  namespace: apps\\n.*port: 8080\\n/ }],
  ['create a configmap app-settings with LOG_LEVEL=debug in apps', 'apply{"manifest":"apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: app-settings\\n  namespace: apps\\ndata:\\n  LOG_LEVEL: debug\\n"}!'],
  ['create a pod called limited with image nginx, cpu limit 500m and memory limit 256Mi in namespace apps', { plan: /^apply\{.*kind: Pod\\nmetadata:\\n  name: limited\\n  namespace: apps\\n.*limits:\\n          cpu: 500m\\n          memory: 256Mi\\n"\}!$/ }],
  ['create a role pod-reader in apps that can get, list pods', { plan: /^apply\{.*kind: Role\\nmetadata:\\n  name: pod-reader\\n  namespace: apps\\nrules:\\n  - apiGroups:\\n      - \\"\\"\\n    resources:\\n      - pods\\n    verbs:\\n      - get\\n      - list\\n"\}!$/ }],
  ['bind role pod-reader to user alice in apps', { plan: /^apply\{.*kind: RoleBinding\\nmetadata:\\n  name: pod-reader-alice\\n  namespace: apps\\nroleRef:.*name: pod-reader\\nsubjects:\\n  - kind: User\\n    name: alice\\n/ }],
  ['create a network policy that denies all ingress in namespace apps', { plan: /^apply\{.*kind: NetworkPolicy\\nmetadata:\\n  name: deny-all-ingress\\n  namespace: apps\\n/ }],
  ['allow ingress to placemyparents from frontend pods', { plan: /^apply\{.*name: allow-frontend-to-placemyparents\\n  namespace: apps\\n.*app: placemyparents\\n.*app: frontend\\n.*kubernetes.io\/metadata.name: web\\n"\}!$/ }],
  ['delete pod api-server-7d9f4-x2k1p', 'delete{"kind":"pod","names":["api-server-7d9f4-x2k1p"],"namespace":"apps"}!'],
  ['delete the pod-health monitor', 'automate{"what":"monitor","remove":true,"rule":"pod-health"}!'],
  ['stop alerting me about pod restarts', 'automate{"what":"monitor","remove":true,"rule":"restarts","threshold":3}!'],
  ['scale the notifier to zero', 'scale{"name":"notifier","namespace":"apps","replicas":0}!'],
  ['update frontend to version 2.4', 'deploy{"name":"frontend","namespace":"web","tag":"2.4"}!'],
  ['roll back frontend', 'rollback{"name":"frontend","namespace":"web"}!'],
  ['please restart the api server', 'restart{"name":"api-server","namespace":"apps"}!'],
  ['take the web tier down to 1', 'scale{"name":"frontend","namespace":"web","replicas":1}! scale{"name":"web-proxy","namespace":"web","replicas":1}! scale{"name":"docs-site","namespace":"web","replicas":1}!'],
  ['copy the secret placemyparents-db from prod to staging', 'config-sync{"from":"prod","to":"staging","secrets":["placemyparents-db"]}!'],
];

test('the table holds at least 60 requests', () => {
  assert.ok(TABLE.length >= 60, `${TABLE.length} requests`);
});

const title = (want: Want) => (typeof want === 'string' ? `plans ${want.split('{')[0]}` : want instanceof RegExp ? 'is refused: I can\'t … yet; nothing was changed' : 'plan' in want ? 'plans apply' : 'asks back');

for (const [text, want] of TABLE) {
  test(`"${text}" ${title(want)}`, async () => {
    const out = await plan(text);
    if (typeof want === 'string') {
      assert.is(shape(out), want);
      return;
    }
    if (!(want instanceof RegExp)) {
      if ('plan' in want) assert.match(shape(out), want.plan);
      else {
        assert.equal(out.plan.steps, [], `planned ${shape(out)}`);
        assert.match(out.plan.question ?? '', want.ask);
      }
      return;
    }
    assert.equal(out.plan.steps, [], `planned ${shape(out)}`);
    const q = out.plan.question ?? '';
    const m = CANT.exec(q);
    assert.ok(m, `not in the "I can't <verb> <object> yet; nothing was changed" form: ${q}`);
    // "I want a new namespace" asks to create one
    const verb = (m?.[1] ?? '?').toLowerCase();
    assert.ok(text.toLowerCase().includes(verb) || (verb === 'create' && /\b(want|need|give me)\b/i.test(text)), `the verb "${verb}" is the request's`);
    assert.match(q, want);
  });
}

test('no change request in the table is answered by a read or a Job that runs code', async () => {
  for (const [text, want] of TABLE) {
    if (typeof want === 'string' && want.startsWith('run-tests')) continue;
    const out = await plan(text);
    const wrong = out.plan.steps.filter((s) => !s.mutates || RUNS_CODE.has(s.fn));
    assert.equal(wrong.map((s) => s.fn), [], text);
  }
});

test('a Deployment with no repository is not tested as a branch: the planner says it cannot, naming the app it can test', async () => {
  const out = await plan('test frontend');
  assert.equal(out.plan.steps, []);
  assert.match(out.plan.question ?? '', /^I can't test frontend yet: it names no git repository \(annotation ganglion\.dev\/repo\); nothing was run or changed\. I can run the tests of placemyparents/);
});

test.run();
