import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEmbeddedPlanner } from './embedded-planner.js';
import { homeLabFacts } from './testing/home-lab-facts.js';
import { GanglionError } from '../../kernel/errors.js';
import type { CheckFact, ClusterFacts, PlannerOutcome } from './plan.js';

const planner = createEmbeddedPlanner();
const plan = (text: string, facts: ClusterFacts = homeLabFacts()): Promise<PlannerOutcome> =>
  planner.plan({ text, facts, catalog: [], signal: new AbortController().signal });

/** What a plan does, in one comparable line: "fn{input}" per step. */
function shape(out: PlannerOutcome): string {
  if (out.plan.question) return `? ${out.plan.question}`;
  return out.plan.steps.map((s) => `${s.fn}${JSON.stringify(s.input)}${s.mutates ? '!' : ''}`).join(' ');
}

const TABLE: Record<string, { want: string; phrasings: string[] }> = {
  'cluster status': {
    want: 'cluster-status{}',
    phrasings: ['Show me cluster status', "how's the cluster doing?", 'give me an overview of the cluster', 'cluster health', 'is everything ok?', "what's running on the cluster"],
  },
  'failing pods': {
    want: 'failing-pods{}',
    phrasings: ['List all failing pods', "what's broken?", 'which pods are crashing', 'any unhealthy pods?', "show me pods that aren't running", 'find pods stuck in pending'],
  },
  'pod logs': {
    want: 'pod-logs{"name":"api-server","namespace":"apps"}',
    phrasings: ['Get logs from the api-server pod', 'show me api-server logs', 'tail the logs of api-server', 'what is api-server printing?', 'logs for the api server', "fetch the api-server pod's logs"],
  },
  deploy: {
    want: 'deploy{"name":"placemyparents","namespace":"apps","tag":"2.0"}!',
    phrasings: ['Deploy placemyparents version 2.0', 'bump placemyparents to 2.0', 'ship v2.0 of placemyparents', 'upgrade placemyparents to version 2.0', 'roll out placemyparents 2.0', 'please release placemyparents v2.0'],
  },
  'rollback (the last one)': {
    want: 'rollback{}!',
    phrasings: ['Roll back the last deployment', 'undo the last rollout', 'revert the latest deploy', 'rollback the most recent release', 'go back, the last deploy broke things', 'undo that deployment',
      'undo the last deploy', 'revert the latest rollout', 'go back to the previous version of the last deployment', 'rollback to the previous version', 'roll the last deploy back', 'roll back the deployment of last week'],
  },
  'scale the web tier': {
    want: 'scale{"name":"frontend","namespace":"web","replicas":5}! scale{"name":"web-proxy","namespace":"web","replicas":5}! scale{"name":"docs-site","namespace":"web","replicas":5}!',
    phrasings: ['Scale the web tier to 5 replicas', 'set the web tier to 5 replicas', 'give me 5 web pods', 'scale web tier up to five', 'I want 5 replicas of the web tier', 'make the web tier 5 pods? no: resize the web tier to 5'],
  },
  'code review': {
    want: 'code-review{}',
    phrasings: ['Review the latest commit', 'review the code', 'check the last commit for problems', 'do a code review of the newest commit', 'any issues in the latest commit?'],
  },
  'run tests on staging': {
    want: 'run-tests{"branch":"staging"}',
    phrasings: ['Run tests on the staging branch', 'test the staging branch', 'do the tests pass on staging?', 'run the test suite against staging', 'execute tests for branch staging'],
  },
  coverage: {
    want: 'coverage{}',
    phrasings: ['Check code coverage', "what's our test coverage?", 'coverage report please', 'how much of the code is covered by tests', 'measure test coverage'],
  },
  'deploy and verify': {
    want: 'deploy{"name":"placemyparents","namespace":"apps","tag":"2.0"}! verify{"name":"placemyparents","namespace":"apps"} deploy{"name":"placemyparents","namespace":"apps","image":"registry.local/placemyparents:1.4"}! verify{"name":"placemyparents","namespace":"apps"}',
    phrasings: ['deploy my app version 2.0 and verify it works', 'deploy placemyparents 2.0 and check it works', 'ship v2.0 of placemyparents then smoke test it', 'roll out placemyparents 2.0 and make sure it is healthy', 'deploy my app version 2.0 and verify'],
  },
  'a restart monitor': {
    want: 'automate{"what":"monitor","rule":"restarts","schedule":"*/5 * * * *","notify":"slack","threshold":3}!',
    phrasings: ['Alert me if any pod restarts more than 3 times', 'notify me when a pod restarts more than three times', 'let me know if pods restart over 3 times', 'ping me on slack whenever a container restarts more than 3 times', 'warn me if any pod has restarted more than 3 times'],
  },
  'automate pod health': {
    want: 'automate{"what":"monitor","rule":"pod-health","schedule":"*/5 * * * *","notify":"slack"}!',
    phrasings: ['I keep having to manually check pod health. Can you automate that?', 'automate the pod health checks for me', 'I check pod health by hand all the time, automate it', 'monitor pod health for me', 'keep an eye on pod health and alert me'],
  },
  'weekly report': {
    want: 'automate{"what":"report","schedule":"0 8 * * 1","notify":"slack"}!',
    phrasings: ['send me a weekly cluster report', 'I want an infrastructure report every week', 'make a report of the cluster on mondays', 'generate the infrastructure report every Monday', 'weekly infrastructure report, automatically'],
  },
  'the weekly report, now': {
    want: 'report{"notify":"none"}',
    phrasings: ['Generate a weekly infrastructure report', 'weekly summary of the cluster please', 'make an infrastructure report now'],
  },
  'ci on push to main': {
    want: 'automate{"what":"ci","branch":"main","name":"placemyparents","namespace":"apps"}!',
    phrasings: ['When main branch updates, test and deploy automatically', 'on every push to main, run the tests and deploy', 'set up continuous deployment from main', 'whenever main changes, test it and ship it', 'each time someone pushes to main branch, test and deploy'],
  },
  'security audit': {
    want: 'security-audit{}',
    phrasings: ['Run security scans on all container images', 'scan the images for vulnerabilities', 'security audit of the cluster', 'are any pods running as root?', 'check for privileged containers'],
  },
  'config sync': {
    want: 'config-sync{"from":"prod","to":"staging"}!',
    phrasings: ['Sync config from prod to staging', 'copy the configmaps from prod to staging', 'make staging config match prod', 'sync configuration from prod into staging', 'mirror config from prod to staging'],
  },
  'analyze logs': {
    want: 'analyze-logs{}',
    phrasings: ['Analyze logs, find anomalies, suggest fixes', 'look for anomalies in the logs', 'what errors keep showing up in the logs?', 'find error patterns across pods', 'analyse the logs and suggest fixes'],
  },
  'review then deploy': {
    want: 'code-review{}',
    phrasings: ['Review the code and deploy if good', 'review code and deploy if good', 'review the latest commit and ship placemyparents 2.0 if it passes'],
  },
  restart: {
    want: 'restart{"name":"api-server","namespace":"apps"}!',
    phrasings: ['restart api-server', 'bounce the api-server pods', 'do a rolling restart of api-server', 'recycle the api server', 'kick api-server please', 'restart the api-server deployment'],
  },
};

for (const [intent, { want, phrasings }] of Object.entries(TABLE)) {
  for (const text of phrasings) {
    test(`"${text}" plans ${intent}`, async () => {
      assert.is(shape(await plan(text)), want);
    });
  }
}

test('"Generate a weekly infrastructure report" makes the report now and offers the weekly schedule', async () => {
  const out = await plan('Generate a weekly infrastructure report');
  assert.is(shape(out), 'report{"notify":"none"}');
  assert.is(out.plan.conclusion, 'to get it every Monday, say "send the infrastructure report every Monday"');
  assert.is(shape(await plan('send the infrastructure report every Monday')), 'automate{"what":"report","schedule":"0 8 * * 1","notify":"slack"}!');
});

test('"why is api-server crashing?" reads failing pods and its logs side by side', async () => {
  assert.is(shape(await plan('why is api-server crashing?')), 'failing-pods{"namespace":"apps"} pod-logs{"name":"api-server","namespace":"apps"}');
});

test('deploy to all clusters makes one deploy step per kubeconfig context', async () => {
  const facts = { ...homeLabFacts(), contexts: ['ganglion-sim', 'prod', 'staging'] };
  const out = await plan('deploy placemyparents 2.0 to all 3 clusters', facts);
  assert.is(out.plan.intent, 'multi-cluster-deploy');
  assert.is(shape(out), ['ganglion-sim', 'prod', 'staging'].map((c) => `deploy{"name":"placemyparents","tag":"2.0","cluster":"${c}"}!`).join(' '));
  assert.match((await plan('Deploy this to all 3 clusters', facts)).plan.question ?? '', /Which version of placemyparents/);
});

test('"review and deploy if good" reviews first; only an approving verdict adds deploy and verify, any other says it did not deploy', async () => {
  const text = 'review the latest commit and ship placemyparents 2.0 if it passes';
  const first = await plan(text);
  assert.is(shape(first), 'code-review{}');
  const replan = (verdict: string, findings: string[] = []) => planner.replan?.({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal, plan: first.plan, results: [{ stepId: 's1', fn: 'code-review', status: 'completed', summary: verdict, data: { verdict, findings } }], changes: [{ stepId: 's1', why: `step s1 (code-review) gave the verdict "${verdict}"` }] });
  const refused = await replan('request-changes', ['sql injection in /login', 'no tests']);
  assert.equal(refused?.plan.steps, []);
  assert.is(refused?.plan.conclusion, 'review requested changes (2 findings); placemyparents not deployed');
  assert.is((await replan('comment', ['nit']))?.plan.conclusion, 'review verdict "comment" (1 finding); placemyparents not deployed');
  const next = await replan('approve');
  assert.equal(next?.plan.steps.map((s) => [s.id, s.fn, s.dependsOn, s.onFailureOf]), [
    ['deploy', 'deploy', ['s1'], undefined], ['verify', 'verify', ['deploy'], undefined], ['undo', 'deploy', ['deploy'], 'verify'], ['reverify', 'verify', ['undo'], undefined],
  ]);
});

test('deploy takes a full image reference as the image, not a tag', async () => {
  assert.is(shape(await plan('deploy registry.local/placemyparents:2.0')), 'deploy{"name":"placemyparents","namespace":"apps","image":"registry.local/placemyparents:2.0"}!');
});

test('scale resolves one named Deployment and a count in words', async () => {
  assert.is(shape(await plan('scale placemyparents to two')), 'scale{"name":"placemyparents","namespace":"apps","replicas":2}!');
  assert.is(shape(await plan('run 4 copies of placemyparents')), 'scale{"name":"placemyparents","namespace":"apps","replicas":4}!');
});

test('rollback of a named Deployment passes its name and namespace', async () => {
  assert.is(shape(await plan('roll back placemyparents')), 'rollback{"name":"placemyparents","namespace":"apps"}!');
  assert.is(shape(await plan('go back to the previous version of placemyparents')), 'rollback{"name":"placemyparents","namespace":"apps"}!');
  assert.is(shape(await plan('rollback the last deployment of placemyparents')), 'rollback{"name":"placemyparents","namespace":"apps"}!');
});

test('"the last deployment" in a namespace looks for the last rollout there; "last" is never taken as a name', async () => {
  assert.is(shape(await plan('rollback the latest deployment in apps')), 'rollback{"namespace":"apps"}!');
  assert.is(shape(await plan('go back to the previous version of the last deployment')), 'rollback{}!');
});

test('a close misspelling resolves to the one Deployment it can mean, with a note', async () => {
  const out = await plan('deploy placemyparent version 2.0');
  assert.is(shape(out), 'deploy{"name":"placemyparents","namespace":"apps","tag":"2.0"}!');
});

test('two Deployments matching the same phrase get a question, not a guess', async () => {
  const facts = homeLabFacts([{ name: 'api-gateway', namespace: 'apps', labels: {}, images: ['x:1'], containers: ['x'], replicas: 1, ready: 1 }]);
  const out = await plan('restart the api', facts);
  assert.is(out.plan.steps.length, 0);
  assert.match(out.plan.question ?? '', /api-server \(apps\)/);
  assert.match(out.plan.question ?? '', /api-gateway \(apps\)/);
});

test('the same name in two namespaces gets a question naming both', async () => {
  const facts = homeLabFacts([{ name: 'placemyparents', namespace: 'staging', labels: {}, images: ['registry.local/placemyparents:1.3'], containers: ['p'], replicas: 1, ready: 1 }]);
  const out = await plan('deploy placemyparents version 2.0', facts);
  assert.match(out.plan.question ?? '', /placemyparents \(apps\), placemyparents \(staging\)/);
  const pinned = await plan('deploy placemyparents version 2.0 in namespace staging', facts);
  assert.is(shape(pinned), 'deploy{"name":"placemyparents","namespace":"staging","tag":"2.0"}!');
});

test('an unknown Deployment fails with an error naming the closest ones', async () => {
  try {
    await plan('scale placemyfriends-service to 3 replicas');
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, GanglionError);
    assert.is((err as GanglionError).code, 'unknown_deployment');
    assert.match((err as GanglionError).message, /no Deployment matches "placemyfriends-service"; closest: placemyparents \(apps\)/);
  }
});

test('deploy without a version asks which version, saying what runs now', async () => {
  const out = await plan('deploy placemyparents');
  assert.match(out.plan.question ?? '', /Which version of placemyparents.*registry\.local\/placemyparents:1\.4/);
});

test('a command no intent understands gets a question listing what it can do', async () => {
  const out = await plan('make me a sandwich');
  assert.is(out.plan.steps.length, 0);
  assert.match(out.plan.question ?? '', /Show me cluster status/);
});

const CHECKS: CheckFact[] = [
  { name: 'pod-health', rule: 'pod-health', description: 'pods that are not healthy', schedule: '*/5 * * * *' },
  { name: 'pod-restarts-over-3', rule: 'restarts', description: 'pods restarting more than 3 times', schedule: '*/10 * * * *' },
];
const withChecks = (checks: CheckFact[] = CHECKS): ClusterFacts => ({ ...homeLabFacts(), checks });

for (const [text, want] of [
  ['run the pod-health check now', 'pod-health'], ['Run the pod health check now!', 'pod-health'], ['run check pod-health', 'pod-health'],
  ['run pod-health now', 'pod-health'], ['run the restarts monitor', 'pod-restarts-over-3'], ['trigger the pod-restarts-over-3 monitor', 'pod-restarts-over-3'],
] as const) {
  test(`"${text}" runs the ${want} Monitor now: one monitor step, nothing generated`, async () => {
    const out = await plan(text, withChecks());
    assert.is(shape(out), `monitor{"monitor":"${want}"}`);
    assert.is(out.plan.intent, 'run-check');
  });
}

test('a check name no Monitor has is refused, naming the checks there are; nothing is planned', async () => {
  for (const text of ['run the disk-space check now', 'run the backups monitor']) {
    const err = await plan(text, withChecks()).catch((e: unknown) => e);
    assert.instance(err, GanglionError, text);
    assert.is((err as GanglionError).code, 'unknown_check');
    assert.match((err as GanglionError).message, /^I can't run the "(disk-space|backups)" check yet: no monitor is named that, so nothing was run or changed; the checks there are: pod-health \(pods that are not healthy, \*\/5 \* \* \* \*\); pod-restarts-over-3 /);
  }
  const none = await plan('run the pod-health check now', withChecks([])).catch((e: unknown) => e);
  assert.match((none as GanglionError).message, /there are no checks yet; set one up with e\.g\. "alert me if any pod restarts more than 3 times"/);
});

test('checks that could not be read say why instead of guessing', async () => {
  const err = await plan('run the pod-health check now', { ...homeLabFacts(), checksUnavailable: 'the Ganglion custom resource definitions are not installed' }).catch((e: unknown) => e);
  assert.is((err as GanglionError).code, 'checks_unavailable');
  assert.match((err as GanglionError).message, /could not be read \(the Ganglion custom resource definitions are not installed\); nothing was changed/);
});

test('two checks a phrase could mean get a question, and setting up or securing things is not taken for running a check', async () => {
  const two = withChecks([...CHECKS, { name: 'pod-health-apps', rule: 'pod-health', description: 'pods that are not healthy in namespace apps', schedule: '*/5 * * * *' }]);
  assert.match((await plan('run the health check now', two)).plan.question ?? '', /^Which check: pod-health \(pods that are not healthy\), pod-health-apps/);
  assert.is(shape(await plan('Alert me if any pod restarts more than 3 times', withChecks())), 'automate{"what":"monitor","rule":"restarts","schedule":"*/5 * * * *","notify":"slack","threshold":3}!');
  assert.is(shape(await plan('run a security check', withChecks())), 'security-audit{}');
  assert.is(shape(await plan('turn off the pod health monitor', withChecks())), 'automate{"what":"monitor","remove":true,"rule":"pod-health"}!');
});

test('the planner names itself embedded', async () => {
  assert.is((await plan('Show me cluster status')).planner, 'embedded');
});

test.run();
