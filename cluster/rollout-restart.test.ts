import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RESTARTED_AT, planRestart, restartStamp } from './rollout-restart.js';
import type { DeploymentShape } from './workload-shape.js';
import type { GanglionError } from '../kernel/errors.js';

const dep = (extra: Partial<NonNullable<DeploymentShape['spec']>> = {}, annotations?: Record<string, string>): DeploymentShape => ({
  metadata: { name: 'frontend', namespace: 'web' },
  spec: { template: { metadata: { labels: { app: 'frontend' }, ...(annotations ? { annotations } : {}) }, spec: { containers: [] } }, ...extra },
});

test('the stamp is RFC 3339 to the second, as kubectl writes it', () => {
  assert.is(restartStamp(new Date('2026-11-25T12:03:04.567Z')), '2026-11-25T12:03:04Z');
});

test('the patch is a strategic merge of the pod template annotation, and the change shows before → after', () => {
  const { change, patch } = planRestart(dep({}, { [RESTARTED_AT]: '2026-11-01T00:00:00Z' }), '2026-11-25T12:00:00Z', 'prod');
  assert.equal(patch, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T12:00:00Z' } } } } });
  assert.equal(change, { object: 'deployment/frontend', namespace: 'web', cluster: 'prod', field: 'restartedAt', before: '2026-11-01T00:00:00Z', after: '2026-11-25T12:00:00Z' });
  assert.is(planRestart(dep(), 'x', undefined).change.before, null);
});

test('a paused Deployment is refused, and so is a second restart within the same second', () => {
  assert.throws(() => planRestart(dep({ paused: true }), 's', undefined), (e: GanglionError) => e.code === 'deployment_paused' && /rollout resume/.test(e.message));
  assert.throws(() => planRestart(dep({}, { [RESTARTED_AT]: 's' }), 's', undefined), (e: GanglionError) => e.code === 'restart_too_soon');
});

test.run();
