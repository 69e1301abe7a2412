/**
 * Authentication and roles at every door: no credential, a malformed or unknown one, and each role below the one a
 * route needs. Each refusal is the specific 401 or 403, nothing is planned or applied, and the gateway keeps serving.
 */
import * as assert from 'uvu/assert';
import { writeTestTokens } from '../../testing/auth.js';
import { codeOf, hostileGroup, type HostileCase } from '../../testing/hostile-group.js';
import { startHostileStack, type HostileStack } from '../../testing/hostile-stack.js';

const stack: HostileStack = await startHostileStack();
const it = () => stack;
// viewer, operator, approver and admin principals, added to the store the gateway's functions read
const tokens = writeTestTokens(stack.secretsDir);
const JSON_TYPE = { 'content-type': 'application/json' };
const SCALE_YES = JSON.stringify({ text: 'Scale the web tier to 0 replicas', context: { yes: true } });
const SCALE = JSON.stringify({ text: 'Scale the web tier to 0 replicas' });

/** [what, method, target, body] — each door a caller might try. */
const doors: Array<[string, string, string, string]> = [
  ['start a run', 'POST', '/function/planner', SCALE],
  ['start a run with yes', 'POST', '/function/planner', SCALE_YES],
  ['start a run, async', 'POST', '/async-function/planner', SCALE_YES],
  ['list runs', 'GET', '/function/planner/runs', ''],
  ['read the audit log', 'GET', '/function/planner/audit', ''],
  ['read pod logs', 'POST', '/function/pod-logs', '{"name":"api-server"}'],
  ['run a repository\'s tests', 'POST', '/function/run-tests', '{"branch":"main"}'],
  ['preview a scale', 'POST', '/function/scale', '{"name":"placemyparents","namespace":"apps","replicas":0,"dryRun":true}'],
  ['apply a scale', 'POST', '/function/scale', '{"name":"placemyparents","namespace":"apps","replicas":0}'],
  ['cluster status', 'POST', '/function/cluster-status', '{}'],
];
const async = (target: string) => target.startsWith('/async-function/');

const cases: HostileCase[] = [];
for (const [what, method, target, body] of doors) {
  for (const [how, authorization] of [
    ['no credential', ''],
    ['a Basic credential', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['an unknown bearer token', `Bearer gt_${'0'.repeat(64)}`],
    ['a bearer token with no value', 'Bearer '],
    ['the token without its scheme', tokens.admin],
  ] as const) {
    cases.push({
      // an async call is accepted (202) and refused when it runs: the queue cannot know the function's roles
      name: `${what} with ${how} → ${async(target) ? '202, then refused' : 401}`,
      async run() {
        const r = await stack.send(method, target, { ...JSON_TYPE, authorization }, body);
        if (async(target)) assert.is(r.status, 202, codeOf(r.body));
        else {
          assert.is(r.status, 401, codeOf(r.body));
          assert.is(codeOf(r.body), 'unauthenticated');
          assert.match(String(r.headers['www-authenticate'] ?? ''), /Bearer/);
        }
      },
    });
  }
}
// Roles below the one a door needs: 403 naming it.
const tooLow: Array<[string, string, string, string, keyof typeof tokens]> = [
  ['start a run as a viewer', 'POST', '/function/planner', SCALE, 'viewer'],
  ['say yes as an operator', 'POST', '/function/planner', SCALE_YES, 'operator'],
  ['say yes as a viewer', 'POST', '/function/planner', SCALE_YES, 'viewer'],
  ['run a repository\'s tests as a viewer', 'POST', '/function/run-tests', '{"branch":"main"}', 'viewer'],
  ['preview a scale as a viewer', 'POST', '/function/scale', '{"name":"placemyparents","namespace":"apps","replicas":0,"dryRun":true}', 'viewer'],
];
for (const [what, method, target, body, role] of tooLow) {
  cases.push({
    name: `${what} → 403`,
    async run() {
      const r = await stack.send(method, target, { ...JSON_TYPE, authorization: `Bearer ${tokens[role]}` }, body);
      assert.is(r.status, 403, codeOf(r.body));
    },
  });
}
cases.push({
  name: 'an operator\'s run waits for approval and its answer carries no approval token',
  async run() {
    const r = await stack.send('POST', '/function/planner', { ...JSON_TYPE, authorization: `Bearer ${tokens.operator}` }, SCALE);
    assert.is(r.status, 202, codeOf(r.body));
    const run = JSON.parse(r.body) as { status: string; runId: string; approval?: { token?: string } };
    assert.is(run.status, 'awaiting-approval');
    assert.is(run.approval?.token, undefined);
    assert.is((await stack.send('POST', `/function/planner/runs/${run.runId}/approve`, { ...JSON_TYPE, authorization: `Bearer ${tokens.operator}` }, '{"token":"x"}')).status, 403, 'an operator cannot approve');
  },
});

const group = hostileGroup('authentication and roles', it, cases, { runsMayStart: true });
group.after(() => stack.stop());
group.run();
