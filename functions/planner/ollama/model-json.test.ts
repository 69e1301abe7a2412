/** What the model answers is read leniently (prose, fences); what it is shown is derived from the functions' schemas. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stackCatalog } from '../../../testing/ollama-server/stack-catalog.js';
import { safeParseModelJson } from './model-json.js';
import { planJsonSchemaOf } from './plan-schema.js';
import { catalogLines, signatureOf } from './catalog-lines.js';
import { meta as deployMeta } from '../../deploy/schema.js';
import { meta as scaleMeta } from '../../scale/schema.js';
import { meta as podLogsMeta } from '../../pod-logs/schema.js';

test('reads bare JSON, fenced JSON and JSON inside prose; names prose and broken JSON', () => {
  assert.equal(safeParseModelJson('{"steps":[]}'), { ok: true, value: { steps: [] } });
  assert.equal(safeParseModelJson('Here:\n```json\n{"steps":[]}\n```\nDone.'), { ok: true, value: { steps: [] } });
  assert.equal(safeParseModelJson('The plan is {"steps":[]} as asked.'), { ok: true, value: { steps: [] } });
  const prose = safeParseModelJson('You can run kubectl get pods');
  assert.ok(!prose.ok && /prose, not JSON/.test(prose.error));
  const broken = safeParseModelJson("{steps: [{'id': 's1',}]}");
  assert.ok(!broken.ok && /not valid JSON/.test(broken.error));
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

test('the grammar sent to the model carries only structure, without dryRun, for the real schemas', () => {
  const format = JSON.stringify(planJsonSchemaOf([deployMeta, scaleMeta, podLogsMeta]));
  assert.not.ok(format.includes('dryRun'));
  // Only structure reaches the grammar: no length limits, patterns, defaults or prose.
  assert.not.match(format, /maxLength|minLength|pattern|"default"|description|\$schema/);
  assert.ok(format.includes('"required":["id","fn","input","dependsOn"]'));
});

test.run();
