import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeStatusError } from '../kube-status-error.js';
import { applyJsonPatch, applyMergePatch } from './json-patch.js';

const doc = { metadata: { name: 'd', annotations: { 'a/b': '1' } }, spec: { replicas: 3, containers: [{ name: 'a' }, { name: 'b' }] } };

test('JSON patch adds, replaces, removes, moves, copies and tests, leaving the input untouched', () => {
  const out = applyJsonPatch(doc, [
    { op: 'replace', path: '/spec/replicas', value: 5 },
    { op: 'add', path: '/spec/containers/-', value: { name: 'c' } },
    { op: 'add', path: '/spec/containers/0', value: { name: 'first' } },
    { op: 'remove', path: '/metadata/annotations/a~1b' },
    { op: 'copy', from: '/metadata/name', path: '/metadata/labels' },
    { op: 'move', from: '/metadata/labels', path: '/metadata/generateName' },
    { op: 'test', path: '/spec/replicas', value: 5 },
  ]);
  assert.equal(out, { metadata: { name: 'd', annotations: {}, generateName: 'd' }, spec: { replicas: 5, containers: [{ name: 'first' }, { name: 'a' }, { name: 'b' }, { name: 'c' }] } });
  assert.is(doc.spec.replicas, 3);
});

test('a JSON patch that cannot apply is 422, a malformed one 400', () => {
  const code = (ops: unknown) => { try { applyJsonPatch(doc, ops); } catch (err) { return (err as KubeStatusError).code; } return 0; };
  assert.is(code([{ op: 'replace', path: '/spec/missing/x', value: 1 }]), 422);
  assert.is(code([{ op: 'test', path: '/spec/replicas', value: 4 }]), 422);
  assert.is(code([{ op: 'remove', path: '/metadata/nope' }]), 422);
  assert.is(code({ op: 'add' }), 400);
});

test('merge patch merges maps, deletes on null and replaces lists', () => {
  assert.equal(applyMergePatch(doc, { metadata: { annotations: null, labels: { x: 'y' } }, spec: { containers: [{ name: 'only' }] } }),
    { metadata: { name: 'd', labels: { x: 'y' } }, spec: { replicas: 3, containers: [{ name: 'only' }] } });
});

test.run();
