import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planRollback, replicaSetForRevision, templatesEqualIgnoringHash } from './rollout-undo.js';
import type { DeploymentShape, ReplicaSetShape } from './workload-shape.js';
import { GanglionError } from '../kernel/errors.js';

// Wire JSON as `kubectl get deploy,rs -o json` shows it (trimmed to what undo reads).
const UID = '6b0c7a58-2f8e-4b0e-9d55-1f1f0e2d9a01';
const template = (image: string, hash?: string, extra: Record<string, string> = {}) => ({
  metadata: { labels: { app: 'placemyparents', ...(hash ? { 'pod-template-hash': hash } : {}) }, ...(Object.keys(extra).length ? { annotations: extra } : {}) },
  spec: { containers: [{ name: 'placemyparents', image, ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }], resources: {} }], restartPolicy: 'Always' },
});

function deployment(image: string, revision: string, extra: Partial<DeploymentShape['spec']> = {}): DeploymentShape {
  return {
    metadata: {
      name: 'placemyparents', namespace: 'apps', uid: UID, resourceVersion: '4711', generation: 3,
      annotations: { 'deployment.kubernetes.io/revision': revision, 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}', 'ganglion.dev/repo': '/repos/pmp' },
    },
    spec: { replicas: 3, selector: { matchLabels: { app: 'placemyparents' } }, template: template(image), ...extra },
  };
}

function rs(hash: string, image: string, revision: string | undefined, owner = UID, annotations: Record<string, string> = {}): ReplicaSetShape {
  return {
    metadata: {
      name: `placemyparents-${hash}`, namespace: 'apps', uid: `rs-${hash}`, creationTimestamp: '2026-11-20T10:00:00Z',
      labels: { app: 'placemyparents', 'pod-template-hash': hash },
      annotations: { ...(revision === undefined ? {} : { 'deployment.kubernetes.io/revision': revision }), 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', ...annotations },
      ownerReferences: [{ kind: 'Deployment', name: 'placemyparents', uid: owner, controller: true }],
    },
    spec: { replicas: 0, template: template(image, hash) },
  };
}

const history = [rs('5d8f7c9b4', 'registry.local/placemyparents:1.3', '1'), rs('6c9f8d7e5', 'registry.local/placemyparents:1.4', '2', UID, { 'ganglion.dev/change-cause': 'deploy 1.4' }), rs('7f6b9c8d2', 'registry.local/placemyparents:2.0', '3')];

test('undo picks the second-highest revision and patches template and annotations with a JSON patch', () => {
  const plan = planRollback(deployment('registry.local/placemyparents:2.0', '3'), history);
  assert.is(plan.action, 'rollback');
  assert.is(plan.toRevision, 2);
  assert.is(plan.fromRevision, 3);
  assert.is(plan.message, 'rolled back');
  assert.equal(plan.patch.map((op) => [op.op, op.path]), [['replace', '/spec/template'], ['replace', '/metadata/annotations']]);
  const restored = plan.patch[0]?.value as ReturnType<typeof template>;
  assert.is(restored.spec.containers[0]?.image, 'registry.local/placemyparents:1.4');
  assert.equal(restored.metadata.labels, { app: 'placemyparents' }, 'pod-template-hash is removed');
});

test('annotations: the Deployment keeps its revision and last-applied, everything else comes from the ReplicaSet', () => {
  const plan = planRollback(deployment('registry.local/placemyparents:2.0', '3'), history);
  assert.equal(plan.annotations, {
    'deployment.kubernetes.io/revision': '3',
    'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
    'ganglion.dev/change-cause': 'deploy 1.4',
  });
  assert.not.ok('ganglion.dev/repo' in plan.annotations, 'annotations not on the ReplicaSet are dropped, as kubectl replaces the map');
  assert.not.ok('deployment.kubernetes.io/desired-replicas' in plan.annotations, 'skipped keys are never copied from the ReplicaSet');
});

test('toRevision picks exactly that revision', () => {
  const plan = planRollback(deployment('registry.local/placemyparents:2.0', '3'), history, 1);
  assert.is(plan.toRevision, 1);
  assert.is((plan.template.spec?.containers[0])?.image, 'registry.local/placemyparents:1.3');
});

test('no history: a single revision answers kubectl\'s "no rollout history found" error', () => {
  const err = (() => { try { planRollback(deployment('registry.local/placemyparents:1.4', '1'), [rs('6c9f8d7e5', 'registry.local/placemyparents:1.4', '1')]); } catch (e) { return e; } })();
  assert.instance(err, GanglionError);
  assert.is((err as GanglionError).message, 'no rollout history found for deployment "placemyparents"');
  assert.is((err as GanglionError).code, 'no_rollout_history');
});

test('a revision that is not in the history is a 404 naming it', () => {
  assert.throws(() => planRollback(deployment('registry.local/placemyparents:2.0', '3'), history, 7), (e: GanglionError) => e.status === 404 && /unable to find specified revision 7 in history/.test(e.message));
  assert.throws(() => replicaSetForRevision(deployment('x', '3'), history, -1), (e: GanglionError) => e.code === 'revision_not_found');
});

test('template already matching the chosen revision is skipped, with no patch', () => {
  // The current template equals revision 2 (e.g. after an undo): kubectl answers "skipped rollback".
  const plan = planRollback(deployment('registry.local/placemyparents:1.4', '4'), [rs('7f6b9c8d2', 'registry.local/placemyparents:2.0', '3'), rs('6c9f8d7e5', 'registry.local/placemyparents:1.4', '4'), rs('5d8f7c9b4', 'registry.local/placemyparents:1.3', '1')], 4);
  assert.is(plan.action, 'skip');
  assert.equal(plan.patch, []);
  assert.match(plan.message, /^skipped rollback \(current template already matches revision 4\)$/);
});

test('ReplicaSets owned by another Deployment (other uid) or without a controller ref are not history', () => {
  const foreign = rs('1a2b3c4d5', 'registry.local/placemyparents:0.1', '9', 'another-uid');
  const plan = planRollback(deployment('registry.local/placemyparents:2.0', '3'), [...history, foreign]);
  assert.is(plan.toRevision, 2);
  const orphan = rs('9f9f9f9f9', 'x:1', '8');
  orphan.metadata!.ownerReferences = [{ kind: 'Deployment', name: 'placemyparents', uid: UID, controller: false }];
  assert.is(planRollback(deployment('registry.local/placemyparents:2.0', '3'), [...history, orphan]).toRevision, 2);
});

test('a ReplicaSet without a revision annotation counts as revision 0; an unparsable one is skipped', () => {
  const plan = planRollback(deployment('registry.local/placemyparents:2.0', '3'), [rs('aaaaaaaaa', 'x:old', undefined), rs('bbbbbbbbb', 'x:bad', 'two'), rs('7f6b9c8d2', 'registry.local/placemyparents:2.0', '3')]);
  assert.is(plan.toRevision, 0);
  assert.is(plan.template.spec?.containers[0]?.image, 'x:old');
});

test('a paused Deployment is refused', () => {
  assert.throws(() => planRollback(deployment('registry.local/placemyparents:2.0', '3', { paused: true }), history), (e: GanglionError) => e.code === 'deployment_paused' && /resume/.test(e.message));
});

test('template equality ignores the hash label, empty maps and Date vs string timestamps', () => {
  const a = template('x:1', 'abc');
  const b = { ...template('x:1'), metadata: { labels: { app: 'placemyparents' }, annotations: {} } };
  assert.ok(templatesEqualIgnoringHash(a, b));
  assert.not.ok(templatesEqualIgnoringHash(a, template('x:2')));
  assert.ok(templatesEqualIgnoringHash({ metadata: { creationTimestamp: new Date('2026-01-01T00:00:00Z') } }, { metadata: { creationTimestamp: '2026-01-01T00:00:00.000Z' } }));
});

test.run();
