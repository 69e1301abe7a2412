/**
 * Through the real stack (kube-sim, gateway, planner function): change requests the planner cannot make yet are
 * answered "I can't … yet; nothing was changed", and kubectl shows the cluster as it was, with no audit record; the
 * weekly report is made now with its numbers; a read question gets the Deployment's line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';
import type { RunView } from '../../events/run-schema.js';

const run = promisify(execFile);
let stack: HomeLabGateway;
const authed = authedFetch(() => stack.gw.adminToken);

test.before(async () => {
  stack = await startHomeLabGateway();
});
test.after(async () => {
  await stack?.stop();
});

async function command(text: string): Promise<RunView> {
  const res = await authed(`${stack.gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  return (await res.json()) as RunView;
}

/** Every object kubectl lists that these requests would touch, with its generation (bumped by any spec change) and cordon flag. */
async function clusterPicture(): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', stack.sim.kubeconfigPath, 'get', 'namespaces,nodes,deployments,pods,services,configmaps,secrets', '-A',
    '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name}@{.metadata.generation}:{.spec.unschedulable}:{.spec.replicas}{"\\n"}{end}'], { timeout: 30_000 });
  return stdout.split('\n').filter(Boolean).sort().join('\n');
}

// (creating a pod or namespace, deleting failed pods and cordoning are real changes now: planner-changes.e2e.test.ts)
const REFUSED = [
  'create a cronjob that backs up postgres every night',
  'taint node pi-1 with dedicated=db:NoSchedule',
  'stop the notifier',
  'delete the notifier deployment',
  'kill the crashing pod',
  'create a secret called db-pass with password hunter2',
  'add the label team=web to frontend',
];

test('change requests it cannot make yet change nothing: same objects in kubectl, no audit record, the answer says so', async () => {
  const before = await clusterPicture();
  assert.match(before, /Deployment\/apps\/notifier@/);
  const runs: RunView[] = [];
  for (const text of REFUSED) {
    const r = await command(text);
    runs.push(r);
    assert.is(r.status, 'needs-input', `${text}: ${r.status} ${r.summary}`);
    assert.equal(r.steps, [], text);
    assert.match(r.question ?? '', /^I can't .+ yet; nothing was changed\. I can /, text);
  }
  assert.is(await clusterPicture(), before);
  const ids = new Set(runs.map((r) => r.runId));
  assert.equal((await auditRecords(stateOf(stack.sim.kubeconfigPath))).filter((a) => ids.has(a.runId)), []);
});

test('"Generate a weekly infrastructure report" answers with the report and its numbers now, and offers the weekly schedule', async () => {
  const r = await command('Generate a weekly infrastructure report');
  assert.is(r.status, 'completed', r.summary);
  assert.equal(r.steps.map((s) => s.fn), ['report']);
  const data = Object.values(r.data)[0] as { report?: { nodes?: unknown }; markdown?: string };
  assert.ok(data.report?.nodes, 'the report data has its numbers');
  assert.match(r.summary, /to get it every Monday, say "send the infrastructure report every Monday"$/);
  const { stdout } = await run('kubectl', ['--kubeconfig', stack.sim.kubeconfigPath, 'get', 'cronjobs', '-A', '-o', 'name'], { timeout: 30_000 });
  assert.not.match(stdout, /report/, 'nothing scheduled without asking');
});

test('"how many replicas does frontend have" answers with frontend\'s line, as kubectl has it', async () => {
  const r = await command('how many replicas does frontend have');
  assert.is(r.status, 'completed', r.summary);
  const { stdout } = await run('kubectl', ['--kubeconfig', stack.sim.kubeconfigPath, 'get', 'deployment', 'frontend', '-n', 'web', '-o', 'jsonpath={.spec.replicas}'], { timeout: 30_000 });
  assert.match(r.summary, new RegExp(`^web/frontend: \\d+/${stdout} ready \\(${stdout} desired`));
});

test.run();
