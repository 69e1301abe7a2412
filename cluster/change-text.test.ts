import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeChanges, describeValue } from './change-text.js';

test('an image change reads as name:old → new tag when only the tag moves', () => {
  assert.is(describeValue({ field: 'image', before: 'registry.local/placemyparents:1.4', after: 'registry.local/placemyparents:2.0' }), 'image placemyparents:1.4 → 2.0');
});

test('an image change across repositories shows both short names', () => {
  assert.is(describeValue({ field: 'image', before: 'nginx:1.25', after: 'registry.local:5000/proxy:2' }), 'image nginx:1.25 → proxy:2');
});

test('an image without a tag is read as latest, and a registry port is not a tag', () => {
  assert.is(describeValue({ field: 'image', before: 'registry.local:5000/app', after: 'registry.local:5000/app:3' }), 'image app:latest → 3');
});

test('a missing or empty value shows as (none), and a structured one as JSON', () => {
  assert.is(describeValue({ field: 'env.LOG_LEVEL', before: undefined, after: 'debug' }), 'env.LOG_LEVEL (none) → debug');
  assert.is(describeValue({ field: 'image', before: '', after: 'nginx:1.27' }), 'image (none) → nginx:1.27');
  assert.is(describeValue({ field: 'run', before: null, after: { rule: 'pod-crash' } }), 'run (none) → {"rule":"pod-crash"}');
});

test('changes read one line per object, naming its namespace and cluster', () => {
  const line = describeChanges([
    { object: 'deployment/frontend', namespace: 'web', field: 'replicas', before: 2, after: 5 },
    { object: 'deployment/frontend', namespace: 'web', field: 'image', before: 'registry.local/frontend:2.3.0', after: 'registry.local/frontend:2.4.0' },
    { object: 'monitor/pod-crash', field: 'rule', before: null, after: 'a pod crash-loops', cluster: 'pi' },
  ]);
  assert.is(line, 'replicas 2 → 5, image frontend:2.3.0 → 2.4.0 on deployment/frontend (web); rule (none) → a pod crash-loops on monitor/pod-crash (pi)');
});

test.run();
