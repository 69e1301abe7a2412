/** One check for every plan, first or re-plan, from any planner: functions, typed inputs, names, ids, dependencies. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GanglionError } from '../../kernel/errors.js';
import { homeLabFacts } from './testing/home-lab-facts.js';
import { stackCatalog } from '../../testing/ollama-server/stack-catalog.js';
import { checkPlan, validatePlan } from './plan-check.js';
import { meta as deployMeta } from '../deploy/schema.js';
import { meta as scaleMeta } from '../scale/schema.js';
import { meta as podLogsMeta } from '../pod-logs/schema.js';

const ctx = { catalog: stackCatalog, facts: homeLabFacts() };
const step = (fn: string, input: Record<string, unknown>, id = 's1', dependsOn: string[] = []) => ({ id, fn, input, dependsOn });
const error = (raw: unknown) => {
  const r = checkPlan(raw, ctx);
  return r.ok ? '' : r.error;
};

test('a valid plan keeps parsed inputs and takes mutates from the catalog', () => {
  const r = checkPlan({ steps: [step('deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0' }), step('verify', { name: 'placemyparents', namespace: 'apps' }, 's2', ['s1'])] }, ctx);
  assert.ok(r.ok);
  if (r.ok) assert.equal(r.value.steps.map((s) => [s.fn, s.mutates]), [['deploy', true], ['verify', false]]);
});

test('names unknown functions, wrong types, unknown Deployments, namespaces and clusters', () => {
  assert.match(error({ steps: [step('delete-everything', {})] }), /unknown function "delete-everything"/);
  assert.match(error({ steps: [step('scale', { name: 'frontend', replicas: '5' })] }), /steps\[0\]\.input\.replicas: .*expected number/i);
  assert.match(error({ steps: [step('deploy', { name: 'apiserver', tag: '1' })] }), /Deployment "apiserver" does not exist; closest: api-server/);
  assert.match(error({ steps: [step('cluster-status', { namespace: 'prod' })] }), /namespace "prod" does not exist/);
  assert.match(error({ steps: [step('cluster-status', { cluster: 'aws-prod' })] }), /cluster "aws-prod" is not a kubeconfig context/);
});

test('selectors, pod names and unreadable clusters are not treated as invented names', () => {
  assert.is(error({ steps: [step('scale', { selector: 'tier=web', replicas: 5 })] }), '');
  assert.is(error({ steps: [step('pod-logs', { name: 'api-server-7d9f4-x2k1p' })] }), '');
  const r = checkPlan({ steps: [step('deploy', { name: 'anything', tag: '1' })] }, { ...ctx, facts: { ...homeLabFacts(), unavailable: 'connection refused' } });
  assert.ok(r.ok);
});

test('rejects forward or unknown dependencies, reused ids, duplicate steps and empty plans', () => {
  assert.match(error({ steps: [step('verify', { name: 'redis' }, 's1', ['s2']), step('cluster-status', {}, 's2')] }), /"s2" is not an earlier step id/);
  assert.match(error({ steps: [step('cluster-status', {}), step('failing-pods', {}, 's1')] }), /"s1" is already used/);
  assert.match(error({ steps: [step('cluster-status', {}), step('cluster-status', {}, 's2')] }), /repeats step "s1" exactly/);
  assert.match(error({ steps: [] }), /no steps and no question/);
  assert.ok(checkPlan({ steps: [], question: 'Which app: placemyparents or api-server?' }, ctx).ok);
});

test('the real deploy, scale and pod-logs schemas apply, refinements included, and dryRun stays the engine\'s', () => {
  const real = { catalog: [deployMeta, scaleMeta, podLogsMeta], facts: homeLabFacts() };
  const ok = checkPlan({ steps: [step('deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0', dryRun: true })] }, real);
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.is(ok.value.steps[0].input.tag, '2.0');
    assert.not.ok('dryRun' in ok.value.steps[0].input);
    assert.is(ok.value.steps[0].mutates, true);
  }
  const both = checkPlan({ steps: [step('deploy', { name: 'placemyparents', tag: '2.0', image: 'registry.local/placemyparents:2.0' })] }, real);
  assert.ok(!both.ok && /steps\[0\]\.input\.tag: give either image or tag/.test(both.error), both.ok ? '' : both.error);
  const web = checkPlan({ steps: [step('scale', { selector: 'tier=web', replicas: 5 })] }, real);
  assert.ok(web.ok);
  const ghost = checkPlan({ steps: [step('scale', { name: 'webtier', replicas: 5 })] }, real);
  assert.ok(!ghost.ok && /Deployment "webtier" does not exist/.test(ghost.error));
  assert.ok(checkPlan({ steps: [step('pod-logs', { name: 'api-server' })] }, real).ok);
});

test('a re-plan may depend on the run\'s steps but not reuse their ids, and may add nothing', () => {
  assert.ok(checkPlan({ steps: [step('verify', { name: 'redis', namespace: 'data' }, 'r1-v', ['s1'])] }, { ...ctx, existing: ['s1'] }).ok);
  const reused = checkPlan({ steps: [step('cluster-status', {}, 's1')] }, { ...ctx, existing: ['s1'] });
  assert.ok(!reused.ok && /"s1" is already used/.test(reused.error));
  assert.ok(checkPlan({ steps: [] }, { ...ctx, allowEmpty: true }).ok);
});

test('references to earlier results are checked when they resolve, not before; a plan over 50 steps is refused', () => {
  const r = checkPlan({ steps: [step('pod-logs', { name: 'api-server' }), step('scale', { name: '{{s1.data.deployment}}', replicas: 2 }, 's2', ['s1'])] }, ctx);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.match(error({ steps: Array.from({ length: 51 }, (_, i) => step('cluster-status', {}, `s${i + 1}`)) }), /51 steps; at most 50/);
});

test('the run engine\'s gate answers 422 invalid_plan with every problem named, and hands back pending steps without dryRun', () => {
  const err = (() => { try { validatePlan({ steps: [{ ...step('scale', { name: 'webtier', replicas: 'five' }), mutates: false }] }, ctx); } catch (e) { return e; } return undefined; })();
  assert.ok(err instanceof GanglionError);
  assert.is(err.status, 422);
  assert.is(err.code, 'invalid_plan');
  assert.match(err.message, /steps\[0\]\.input\.replicas: .*expected number/i);
  const steps = validatePlan({ steps: [{ ...step('deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0', dryRun: false }), mutates: false }] }, ctx);
  assert.equal(steps.map((s) => [s.id, s.status, s.mutates, 'dryRun' in s.input]), [['s1', 'pending', true, false]]);
});

test('a step calling a function the gateway does not list fails function_not_deployed with the faas-cli line, before anything else', () => {
  const deployed = new Set(['planner', 'cluster-status', 'deploy']);
  const gate = (steps: ReturnType<typeof step>[]) => { try { validatePlan({ steps: steps.map((s) => ({ ...s, mutates: false })) }, { ...ctx, deployed }); } catch (e) { return e; } return undefined; };
  const one = gate([step('scale', { selector: 'tier=web', replicas: 5 })]);
  assert.ok(one instanceof GanglionError);
  assert.is(one.code, 'function_not_deployed');
  assert.match(one.message, /needs scale, which is not deployed on the gateway; nothing was run or changed\. Deploy with: faas-cli deploy -f stack\.yml --filter scale$/);
  const two = gate([step('deploy', { name: 'placemyparents', tag: '2.0' }), step('verify', { name: 'placemyparents' }, 's2', ['s1']), step('scale', { name: 'nope', replicas: 1 }, 's3')]);
  assert.ok(two instanceof GanglionError);
  assert.match(two.message, /needs verify and scale, which are not deployed.*--filter verify && faas-cli deploy -f stack\.yml --filter scale/);
  assert.equal(validatePlan({ steps: [{ ...step('cluster-status', {}), mutates: false }] }, { ...ctx, deployed }).map((s) => s.fn), ['cluster-status']);
});

test('with 15 functions listed the line also says Community Edition must make room first', () => {
  const fifteen = new Set(stackCatalog.map((m) => m.name).filter((n) => n !== 'scale').slice(0, 15));
  const err = (() => { try { validatePlan({ steps: [{ ...step('scale', { selector: 'tier=web', replicas: 5 }), mutates: false }] }, { ...ctx, deployed: fifteen }); } catch (e) { return e; } return undefined; })();
  assert.ok(err instanceof GanglionError);
  assert.match(err.message, /already runs 15 functions and OpenFaaS Community Edition allows 15, so remove one first \(faas-cli remove <name>\)/);
});

test.run();
