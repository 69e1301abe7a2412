/**
 * Through the real stack (kube-sim, gateway, planner function, the read tools): ordinary read requests get the read
 * that answers them, and the answer agrees with kubectl; "show me the secrets" is refused and reads nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';
import type { RunView } from '../../events/run-schema.js';

const stack: HomeLabGateway = await startHomeLabGateway();
const authed = authedFetch(() => stack.gw.adminToken);
test.after(() => stack.stop());

/** The planner's answer to one sentence, as the CLI gets it. */
const command = async (text: string): Promise<RunView> =>
  (await (await authed(`${stack.gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })).json()) as RunView;
const run = promisify(execFile);
const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', stack.sim.kubeconfigPath, ...args], { timeout: 30_000 })).stdout;

test('"describe the api-server deployment" answers with what kubectl describe shows', async () => {
  const r = await command('describe the api-server deployment');
  assert.is(r.status, 'completed', r.summary);
  assert.equal(r.steps.map((s) => s.fn), ['kube-get']);
  const theirs = await kubectl('describe', 'deployment', 'api-server', '-n', 'apps');
  assert.match(r.summary, new RegExp(`Replicas:\\s+${/Replicas:\s+(\d+ desired \| \d+ updated)/.exec(theirs)?.[1]?.replace(/\|/g, '\\|')}`));
  assert.match(r.summary, /Image:\s+registry\.local\/api-server:3\.2\.1/);
});

test('"list all deployments" lists every Deployment kubectl lists', async () => {
  const r = await command('list all deployments');
  assert.is(r.status, 'completed', r.summary);
  const theirs = (await kubectl('get', 'deploy', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}')).trim().split('\n');
  for (const name of theirs) assert.match(r.summary, new RegExp(`\\s${name}\\s`), name);
});

test('"show me the events for api-server" and "what changed in the last hour?" read the cluster\'s events', async () => {
  const ev = await command('show me the events for api-server');
  assert.is(ev.status, 'completed', ev.summary);
  assert.equal(ev.steps.map((s) => s.fn), ['kube-events']);
  assert.match(ev.summary, /events? about api-server and what it owns in namespace apps/);
  assert.match(ev.summary, /BackOff/);
  const changed = await command('what changed in the last hour?');
  assert.is(changed.status, 'completed', changed.summary);
  assert.match(changed.summary, /in all namespaces in the last 1h, newest first/);
  assert.match(changed.summary, /`ganglion audit`/);
});

test('"which nodes are under memory pressure?" names the nodes kubectl shows with MemoryPressure True', async () => {
  stack.sim.store.mutate('nodes', undefined, 'pi-3', (o) => {
    const status = o.status as { conditions: { type: string; status: string }[] };
    status.conditions = status.conditions.map((c) => (c.type === 'MemoryPressure' ? { ...c, status: 'True' } : c));
  });
  const r = await command('which nodes are under memory pressure?');
  assert.is(r.status, 'completed', r.summary);
  assert.equal(r.steps.map((s) => s.fn), ['kube-top']);
  const status = await kubectl('get', 'node', 'pi-3', '-o', 'jsonpath={.status.conditions[?(@.type=="MemoryPressure")].status}');
  assert.is(status, 'True');
  assert.match(r.summary, /under pressure: pi-3 \(MemoryPressure\)/);
});

test('"show me the secrets in apps" is refused and runs nothing', async () => {
  const r = await command('show me the secrets in apps');
  assert.is(r.status, 'needs-input', r.summary);
  assert.equal(r.steps, []);
  assert.match(r.question ?? '', /^I can't show Secrets; Ganglion never reads them/);
});

test.run();
