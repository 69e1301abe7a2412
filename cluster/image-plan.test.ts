import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { imagePatch, planImage } from './image-plan.js';
import type { DeploymentShape } from './workload-shape.js';
import { GanglionError } from '../kernel/errors.js';

const dep = (containers: { name: string; image: string }[], name = 'placemyparents'): DeploymentShape => ({
  metadata: { name, namespace: 'apps' },
  spec: { template: { spec: { containers } } },
});
const one = dep([{ name: 'placemyparents', image: 'registry.local/placemyparents:1.4' }]);
const two = dep([{ name: 'placemyparents', image: 'registry.local/placemyparents:1.4' }, { name: 'proxy', image: 'envoyproxy/envoy:v1.31' }]);
const code = (fn: () => unknown) => { try { fn(); return 'no error'; } catch (e) { return (e as GanglionError).code; } };

test('a tag keeps registry and repository of the only container', () => {
  assert.equal(planImage(one, { tag: '2.0' }), { container: 'placemyparents', before: 'registry.local/placemyparents:1.4', after: 'registry.local/placemyparents:2.0' });
});

test('with several containers: the named one, the one running the same repository, or the namesake', () => {
  assert.is(planImage(two, { tag: 'v1.32', container: 'proxy' }).after, 'envoyproxy/envoy:v1.32');
  assert.is(planImage(two, { image: 'envoyproxy/envoy:v1.32' }).container, 'proxy');
  assert.is(planImage(two, { tag: '2.0' }).container, 'placemyparents');
  const other = dep([{ name: 'a', image: 'x/a:1' }, { name: 'b', image: 'x/b:1' }], 'svc');
  assert.is(code(() => planImage(other, { tag: '2' })), 'container_ambiguous');
  assert.is(code(() => planImage(two, { tag: '2', container: 'nope' })), 'container_not_found');
});

test('needs an image or a tag, and a valid one', () => {
  assert.is(code(() => planImage(one, {})), 'invalid_input');
  assert.is(code(() => planImage(one, { image: 'Bad Image' })), 'invalid_image');
  assert.is(code(() => planImage(one, { tag: '-x' })), 'invalid_tag');
});

test('a paused Deployment is refused: the new image would never roll out', () => {
  const paused: DeploymentShape = { ...one, spec: { ...one.spec!, paused: true } };
  assert.is(code(() => planImage(paused, { tag: '2.0' })), 'deployment_paused');
});

test('the patch names only the container and its image, as kubectl set image sends it', () => {
  assert.equal(imagePatch('placemyparents', 'r/p:2.0'), { spec: { template: { spec: { containers: [{ name: 'placemyparents', image: 'r/p:2.0' }] } } } });
});

test.run();
