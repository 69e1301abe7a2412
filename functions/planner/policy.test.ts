import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decide, parsePolicy, EMPTY_POLICY } from './policy.js';
import type { ChangeView } from '../../events/run-schema.js';

const change = (ns: string, field: string, after: unknown): ChangeView => ({ stepId: 's1', fn: 'scale', object: 'deployment/x', namespace: ns, field, before: 1, after, text: '' });
const policy = parsePolicy(`
approve:
  - functions: [scale]
    namespaces: [web]
    maxReplicas: 6
  - functions: [restart]
deny:
  - functions: ["*"]
    namespaces: [kube-system]
`);

test('no policy file asks a person for everything', () => {
  assert.equal(decide(EMPTY_POLICY, { fn: 'scale', input: { replicas: 1 }, changes: [], cluster: 'c' }), { verdict: 'ask' });
});

test('scale in web up to the ceiling is approved; above it, or elsewhere, asks', () => {
  assert.is(decide(policy, { fn: 'scale', input: { name: 'frontend', namespace: 'web', replicas: 5 }, changes: [change('web', 'replicas', 5)], cluster: 'c' }).verdict, 'approve');
  assert.is(decide(policy, { fn: 'scale', input: { name: 'frontend', replicas: 7 }, changes: [change('web', 'replicas', 7)], cluster: 'c' }).verdict, 'ask');
  assert.is(decide(policy, { fn: 'scale', input: { name: 'placemyparents', replicas: 2 }, changes: [change('apps', 'replicas', 2)], cluster: 'c' }).verdict, 'ask');
});

test('a namespace-limited rule needs to know the namespace: an unknown one asks', () => {
  assert.is(decide(policy, { fn: 'scale', input: { name: 'x', replicas: 2 }, changes: [], cluster: 'c' }).verdict, 'ask');
});

test('deny wins over approve and names what it forbids', () => {
  const d = decide(policy, { fn: 'restart', input: { name: 'coredns', namespace: 'kube-system' }, changes: [], cluster: 'ctx' });
  assert.equal(d, { verdict: 'deny', reason: 'the policy forbids restart in kube-system on ctx' });
});

test('a malformed policy file is an error that names the field and the way out', () => {
  assert.throws(() => parsePolicy('approve:\n  - functions: scale\n', '/h/policy.yaml'), /\/h\/policy.yaml is invalid: approve.0.functions.*remove it/);
  assert.throws(() => parsePolicy('approve: [{verbs: [scale]}]'), /invalid/);
});

test.run();
