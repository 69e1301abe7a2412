/**
 * With exactly the 15 functions docs/production.md recommends for OpenFaaS CE (read from its faas-cli line), every
 * command of the README's "What you can say" table either works or fails naming the missing function and the
 * faas-cli line that adds it; nothing runs or changes for those. Plan-only, so the cluster is left as it was.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunView } from '../../events/run-schema.js';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import { repoRoot, startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => stack.gw.adminToken);

const doc = readFileSync(path.join(repoRoot, 'docs', 'production.md'), 'utf8');
const fifteen = /faas-cli deploy -f stack\.yml --regex '\^\(([a-z|-]+)\)\$'/.exec(doc)?.[1]?.split('|') ?? [];
/** The README's table: each row's commands, " · "-separated in its first column. */
const commands = [...readFileSync(path.join(repoRoot, 'README.md'), 'utf8').matchAll(/^\| ((?:[A-Z][^|]*?)) \| `/gm)].flatMap((m) => (m[1] ?? '').split(' · '));
/** What docs/production.md says stops working, command → the function named. */
const leftOut: Record<string, string> = {
  'Review the latest commit': 'code-review',
  'Run tests on the staging branch': 'run-tests',
  'Check code coverage': 'coverage',
  'Deploy my app and verify it works': 'verify',
  'Review the code and deploy if good': 'code-review',
  'When main branch updates, test and deploy automatically': 'github-webhook',
};

let stack: HomeLabGateway;
test.before(async () => {
  stack = await startHomeLabGateway({ functions: fifteen, settleMs: 3_000 });
});
test.after(async () => {
  await stack?.stop();
});

test('docs/production.md names 15 functions and the README table 19 commands', () => {
  assert.is(fifteen.length, 15, fifteen.join(','));
  assert.is(new Set(fifteen).size, 15);
  assert.ok(fifteen.includes('planner'));
  assert.is(commands.length, 19, commands.join('\n'));
});

test('each command works with the recommended 15, or names the missing function and its faas-cli line with nothing run', async () => {
  assert.equal(stack.gw.functions().sort(), [...fifteen].sort());
  const outcomes: string[] = [];
  for (const text of commands) {
    const res = await authed(`${stack.gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, context: { planOnly: true } }) });
    const run = (await res.json()) as RunView;
    const missing = leftOut[text];
    outcomes.push(`${text} → ${run.status} ${run.error?.code ?? ''}`);
    if (missing) {
      assert.is(run.error?.code, 'function_not_deployed', `${text}: ${run.summary}`);
      assert.match(run.summary, `faas-cli deploy -f stack.yml --filter ${missing}`, text);
      assert.equal(run.steps, [], `${text}: nothing planned runs`);
      assert.equal((await auditRecords(stateOf(stack.sim.kubeconfigPath))).filter((a) => a.runId === run.runId), []);
    } else {
      // "Works" = the functions it needs answered, even when the cluster's answer is no.
      const answered = run.steps.length > 0 && run.steps.every((s) => s.error?.code !== 'function_not_found');
      assert.ok(['completed', 'awaiting-approval', 'needs-input'].includes(run.status) || (run.status === 'failed' && answered), `${text}: ${run.status} ${run.summary}`);
      assert.is.not(run.error?.code, 'function_not_deployed', text);
      assert.ok(!run.notes?.some((n) => /could not read the deployed functions/.test(n)), `${text}: ${run.notes?.join('; ')}`);
    }
  }
  assert.is(outcomes.length, commands.length, outcomes.join('\n'));
});

test.run();
