import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../testing/k8s-files.js';
import { startStateCluster } from '../../testing/state-cluster.js';
import { combinePolicies, decide, EMPTY_POLICY, loadPolicy, parsePolicy, type PolicyObject } from './policy.js';
import type { ChangeView } from '../../events/run-schema.js';

const change = (ns: string, field: string, after: unknown): ChangeView => ({ stepId: 's1', fn: 'scale', object: 'deployment/x', namespace: ns, field, before: 1, after, text: '' });
const example = parse(readFileSync(path.join(repoRoot, 'k8s', 'examples', 'approval-policy.yaml'), 'utf8')) as PolicyObject;
const policy = parsePolicy(example.spec, 'k8s/examples/approval-policy.yaml');
const obj = (name: string, spec: Record<string, unknown>): PolicyObject => ({ apiVersion: 'ganglion.dev/v1alpha1', kind: 'ApprovalPolicy', metadata: { name }, spec });

test('no policy asks a person for everything', () => {
  assert.equal(decide(EMPTY_POLICY, { fn: 'scale', input: { replicas: 1 }, changes: [], cluster: 'c' }), { verdict: 'ask' });
  assert.equal(combinePolicies([], 'ganglion'), EMPTY_POLICY);
});

test('the example: scale in web up to the ceiling is approved; above it, or elsewhere, asks', () => {
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

test('several objects join: approve and deny rules add up, and one allowYes: false turns yes off', () => {
  const joined = combinePolicies([obj('a', { approve: [{ functions: ['scale'] }] }), obj('b', { allowYes: false, deny: [{ functions: ['deploy'] }] }), obj('c', {})], 'ganglion');
  assert.equal(joined, { allowYes: false, approve: [{ functions: ['scale'] }], deny: [{ functions: ['deploy'] }] });
  assert.is(combinePolicies([obj('a', {}), obj('c', { allowYes: true })], 'ganglion').allowYes, true);
});

test('a malformed object is an error that names the object, the field and the way out', () => {
  assert.throws(() => combinePolicies([obj('ok', {}), obj('typo', { approve: [{ functions: 'scale' }] })], 'ganglion'), /ApprovalPolicy typo \(kubectl edit approvalpolicy typo -n ganglion\) is invalid: approve.0.functions.*delete it/);
  assert.throws(() => parsePolicy({ approve: [{ verbs: ['scale'] }] }, 'x'), /x is invalid/);
});

test('loadPolicy reads every ApprovalPolicy object in the state namespace, each time', async () => {
  const c = await startStateCluster();
  try {
    assert.equal(await loadPolicy(c.state), EMPTY_POLICY);
    await c.state.create<PolicyObject>('approvalpolicies', { metadata: { name: example.metadata.name }, spec: example.spec });
    assert.equal(await loadPolicy(c.state), policy);
    await c.state.create<PolicyObject>('approvalpolicies', { metadata: { name: 'broken' }, spec: { approve: [{ functions: 'scale' }] } });
    const err = await loadPolicy(c.state).then(() => 'no error', (e: unknown) => e);
    assert.match(String(err), /ApprovalPolicy broken .* is invalid: approve.0.functions/);
  } finally {
    await c.stop();
  }
});

test.run();
