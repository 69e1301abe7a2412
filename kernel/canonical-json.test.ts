import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from './canonical-json.js';

const test = suite('canonical-json');

test('objects that differ only in key order give the same text, keys sorted at every depth', () => {
  const a = canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' } });
  const b = canonicalJson({ a: { c: 'x', d: [1, { y: null, z: true }] }, b: 1 });
  assert.is(a, b);
  assert.is(a, '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
});

test('a key holding undefined is left out, as JSON.stringify does; undefined in a list becomes null', () => {
  assert.is(canonicalJson({ name: 'web', namespace: undefined }), canonicalJson({ name: 'web' }));
  assert.is(canonicalJson([undefined, 1]), '[null,1]');
  assert.is(canonicalJson(undefined), 'null');
});

test('keys sort by code unit, not by locale: upper case before lower case, "10" before "9"', () => {
  assert.is(canonicalJson({ b: 1, B: 2, 9: 'x', 10: 'y' }), '{"10":"y","9":"x","B":2,"b":1}');
});

// The exact text approval tokens were signed over before this module existed: changing it breaks old approvals.
test('the text for a step input stays byte for byte what approvals were signed over', () => {
  const input = { replicas: 3, name: 'frontend', labels: { tier: 'web', 'app.kubernetes.io/name': 'frontend' }, images: ['a:1', 'b:2'], dryRun: false, note: 'é "q"', skip: undefined };
  assert.is(canonicalJson(input), '{"dryRun":false,"images":["a:1","b:2"],"labels":{"app.kubernetes.io/name":"frontend","tier":"web"},"name":"frontend","note":"é \\"q\\"","replicas":3}');
});

test.run();
