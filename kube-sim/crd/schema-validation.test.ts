/** Structural-schema checks and pruning on plain objects: paths into arrays and maps, nullable, preserved subtrees. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { schemaCauses } from './schema-validation.js';
import { pruneUnknownFields } from './prune.js';

const schema = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      properties: {
        steps: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, timeout: { type: 'number', nullable: true } } } },
        env: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        level: { type: 'integer', enum: [1, 2] },
      },
    },
  },
};

const checks = suite('custom resource schemas');

checks('array items and map values are checked under their own paths', () => {
  const causes = schemaCauses(schema, { spec: { steps: [{ name: 'a' }, { timeout: null }, { name: 7 }], env: { A: 'x', B: true } } });
  assert.equal(causes.map((c) => `${c.field}: ${c.message}`), [
    'spec.steps[1].name: Required value',
    'spec.steps[2].name: Invalid value: "integer": spec.steps[2].name in body must be of type string: "integer"',
    'spec.env.B: Invalid value: "boolean": spec.env.B in body must be of type string: "boolean"',
  ]);
});

checks('a missing top-level field is Required and an integer enum lists its values quoted', () => {
  assert.equal(schemaCauses(schema, { apiVersion: 'ganglion.dev/v1', kind: 'X', metadata: {} }).map((c) => c.field), ['spec']);
  assert.equal(schemaCauses(schema, { spec: { level: 3 } }).map((c) => c.message), ['Unsupported value: 3: supported values: "1", "2"']);
});

checks('pruning drops undeclared fields but keeps metadata, map entries and preserved subtrees', () => {
  const o = { apiVersion: 'v', kind: 'K', metadata: { name: 'n' }, extra: 1, spec: { steps: [{ name: 'a', colour: 'red' }], env: { A: 'x' }, raw: { any: { thing: 1 } }, junk: true } };
  pruneUnknownFields(schema, o);
  assert.equal(o, { apiVersion: 'v', kind: 'K', metadata: { name: 'n' }, spec: { steps: [{ name: 'a' }], env: { A: 'x' }, raw: { any: { thing: 1 } } } });
});

checks.run();
