/** What the model answers is read leniently (prose, fences) and checked strictly (functions, types, names, ids). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { homeLabFacts } from '../testing/home-lab-facts.js';
import { stackCatalog } from '../../../testing/ollama-server/stack-catalog.js';
import { safeParseModelJson, validatePlan } from './plan-validation.js';
import { planJsonSchemaOf } from './plan-schema.js';
import { catalogLines, signatureOf } from './catalog-lines.js';
import { meta as deployMeta } from '../../deploy/schema.js';
import { meta as scaleMeta } from '../../scale/schema.js';
import { meta as podLogsMeta } from '../../pod-logs/schema.js';

const ctx = { catalog: stackCatalog, facts: homeLabFacts() };
const step = (fn: string, input: Record<string, unknown>, id = 's1', dependsOn: string[] = []) => ({ id, fn, input, dependsOn });
const error = (raw: unknown) => {
  const r = validatePlan(raw, ctx);
  return r.ok ? '' : r.error;
};

test('reads bare JSON, fenced JSON and JSON inside prose; names prose and broken JSON', () => {
  assert.equal(safeParseModelJson('{"steps":[]}'), { ok: true, value: { steps: [] } });
  assert.equal(safeParseModelJson('Here:\n```json\n{"steps":[]}\n```\nDone.'), { ok: true, value: { steps: [] } });
  assert.equal(safeParseModelJson('The plan is {"steps":[]} as asked.'), { ok: true, value: { steps: [] } });
  const prose = safeParseModelJson('You can run kubectl get pods');
  assert.ok(!prose.ok && /prose, not JSON/.test(prose.error));
  const broken = safeParseModelJson("{steps: [{'id': 's1',}]}");
  assert.ok(!broken.ok && /not valid JSON/.test(broken.error));
});

test('a valid plan keeps parsed inputs and takes mutates from the catalog', () => {
  const r = validatePlan({ steps: [step('deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0' }), step('verify', { name: 'placemyparents', namespace: 'apps' }, 's2', ['s1'])] }, ctx);
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
  const r = validatePlan({ steps: [step('deploy', { name: 'anything', tag: '1' })] }, { ...ctx, facts: { ...homeLabFacts(), unavailable: 'connection refused' } });
  assert.ok(r.ok);
});

test('rejects forward or unknown dependencies, reused ids, duplicate steps and empty plans', () => {
  assert.match(error({ steps: [step('verify', { name: 'redis' }, 's1', ['s2']), step('cluster-status', {}, 's2')] }), /"s2" is not an earlier step id/);
  assert.match(error({ steps: [step('cluster-status', {}), step('failing-pods', {}, 's1')] }), /"s1" is already used/);
  assert.match(error({ steps: [step('cluster-status', {}), step('cluster-status', {}, 's2')] }), /repeats step "s1" exactly/);
  assert.match(error({ steps: [] }), /no steps and no question/);
  assert.ok(validatePlan({ steps: [], question: 'Which app: placemyparents or api-server?' }, ctx).ok);
});

test('the format schema and the catalog lines come from the same zod schemas, without dryRun', () => {
  const schema = JSON.stringify(planJsonSchemaOf(stackCatalog));
  assert.ok(schema.includes('"const":"deploy"'));
  assert.not.ok(schema.includes('dryRun'));
  const deploy = stackCatalog.find((m) => m.name === 'deploy');
  assert.ok(deploy);
  // Tuning arguments (timeoutSeconds) stay in the schema, out of the prompt; enums read a|b; the description's first sentence.
  if (deploy) {
    assert.ok(schema.includes('"timeoutSeconds"'));
    assert.match(signatureOf(deploy), /^deploy\(name: string \(Name of the Deployment\), image\?: string \(Whole new image reference\), tag\?: string \(Only the new tag\), .*, namespace\?: string \(.+\), cluster\?: string \(.+\)\) \[mutates\] — Sets a Deployment/);
    assert.not.match(signatureOf(deploy), /timeoutSeconds|dryRun/);
  }
  const lines = catalogLines(stackCatalog);
  assert.match(lines[0], /^Common arguments: cluster: string \(kubeconfig context of the cluster to ask\); namespace: string \(limit to this namespace\)/);
  assert.ok(lines.some((l) => l.startsWith('deploy(name, image?: string (Whole new image reference), tag?: string (Only the new tag), ') && l.includes(', namespace?, cluster?) [mutates] — Sets a Deployment')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('automate(what?: monitor|report|ci, rule?: restarts|not-ready|')), lines.join('\n'));
  assert.is(lines.length, stackCatalog.length + 1);
  assert.ok(lines.every((l) => l.length <= 600), lines.join('\n'));
});

test('the real deploy, scale and pod-logs schemas apply, refinements included, and dryRun stays the engine\'s', () => {
  const real = { catalog: [deployMeta, scaleMeta, podLogsMeta], facts: homeLabFacts() };
  const ok = validatePlan({ steps: [step('deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0', dryRun: true })] }, real);
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.is(ok.value.steps[0].input.tag, '2.0');
    assert.not.ok('dryRun' in ok.value.steps[0].input);
    assert.is(ok.value.steps[0].mutates, true);
  }
  const both = validatePlan({ steps: [step('deploy', { name: 'placemyparents', tag: '2.0', image: 'registry.local/placemyparents:2.0' })] }, real);
  assert.ok(!both.ok && /steps\[0\]\.input\.tag: give either image or tag/.test(both.error), both.ok ? '' : both.error);
  const web = validatePlan({ steps: [step('scale', { selector: 'tier=web', replicas: 5 })] }, real);
  assert.ok(web.ok);
  const ghost = validatePlan({ steps: [step('scale', { name: 'webtier', replicas: 5 })] }, real);
  assert.ok(!ghost.ok && /Deployment "webtier" does not exist/.test(ghost.error));
  assert.ok(validatePlan({ steps: [step('pod-logs', { name: 'api-server' })] }, real).ok);
  const format = JSON.stringify(planJsonSchemaOf(real.catalog));
  assert.not.ok(format.includes('dryRun'));
  // Only structure reaches the grammar: no length limits, patterns, defaults or prose.
  assert.not.match(format, /maxLength|minLength|pattern|"default"|description|\$schema/);
  assert.ok(format.includes('"required":["id","fn","input","dependsOn"]'));
});

test.run();
