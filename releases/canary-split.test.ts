import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canaryDeployment, splitFor } from './canary-split.js';

test('the split rule: 20 % of 3 is 1 canary beside 4 stable; the stable never shrinks; the share is what the pods give', () => {
  assert.equal(splitFor(3, 20), { stable: 4, canary: 1, percent: 20 });
  assert.equal(splitFor(3, 50), { stable: 3, canary: 3, percent: 50 });
  assert.equal(splitFor(3, 10), { stable: 9, canary: 1, percent: 10 });
  assert.equal(splitFor(4, 25), { stable: 4, canary: 1, percent: 20 }, '25 % of 4 rounds to one pod in five');
  assert.equal(splitFor(10, 5), { stable: 10, canary: 1, percent: 9.1 }, 'capped at 12 pods, the share says so');
});

test('the canary Deployment shares the stable labels (so the Service takes it) but has its own selector and the new image', () => {
  const stable = { metadata: { name: 'web', namespace: 'apps', labels: { app: 'web' } }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } } };
  const c = canaryDeployment(stable, { image: 'web:2', container: 'web', replicas: 1, percent: 20, baseline: '{}' });
  assert.is(c.metadata?.name, 'web-canary');
  assert.equal(c.spec?.selector.matchLabels, { app: 'web', track: 'canary' });
  assert.equal(c.spec?.template.metadata?.labels, { app: 'web', track: 'canary' });
  assert.is(c.spec?.template.spec?.containers[0]?.image, 'web:2');
  assert.is(stable.spec.template.spec.containers[0]?.image, 'web:1', 'the stable object is not touched');
  assert.is(c.metadata?.annotations?.['ganglion.dev/stable-replicas'], '3');
});

test.run();
