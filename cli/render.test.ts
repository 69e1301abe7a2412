import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatChange, formatChangeValue, useColour } from './render.js';
import { parseEventBlock } from './event-stream.js';

test('an image change reads as name:old → new tag when only the tag moves', () => {
  assert.is(formatChangeValue({ object: '', field: 'image', before: 'registry.local/placemyparents:1.4', after: 'registry.local/placemyparents:2.0' }), 'image placemyparents:1.4 → 2.0');
});

test('an image change across repositories shows both names', () => {
  assert.is(formatChangeValue({ object: '', field: 'image', before: 'nginx:1.25', after: 'registry.local:5000/proxy:2' }), 'image nginx:1.25 → proxy:2');
});

test('an image without a tag is read as latest, and a registry port is not a tag', () => {
  assert.is(formatChangeValue({ object: '', field: 'image', before: 'registry.local:5000/app', after: 'registry.local:5000/app:3' }), 'image app:latest → 3');
});

test('a replica change reads replicas 3 → 5, prefixed by its object', () => {
  assert.is(formatChange({ object: 'deployment/frontend (web)', field: 'replicas', before: 3, after: 5 }), 'deployment/frontend (web): replicas 3 → 5');
});

test('the namespace is added to an object that does not name it, even when the name contains it', () => {
  assert.is(formatChange({ object: 'deployment/web-proxy', namespace: 'web', field: 'replicas', before: 2, after: 5 }), 'deployment/web-proxy (web): replicas 2 → 5');
  assert.is(formatChange({ object: 'deployment/frontend (web)', namespace: 'web', field: 'replicas', before: 2, after: 5 }), 'deployment/frontend (web): replicas 2 → 5');
});

test('a missing value shows as (none)', () => {
  assert.is(formatChangeValue({ object: '', field: 'env.LOG_LEVEL', before: undefined, after: 'debug' }), 'env.LOG_LEVEL (none) → debug');
});

test('colour follows the terminal, NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
  assert.is(useColour({}, true), true);
  assert.is(useColour({}, false), false);
  assert.is(useColour({ NO_COLOR: '1' }, true), false);
  assert.is(useColour({ TERM: 'dumb' }, true), false);
  assert.is(useColour({ FORCE_COLOR: '1' }, false), true);
});

test('a server-sent event block gives its name, joined data lines and id; comments alone give nothing', () => {
  assert.equal(parseEventBlock('event: step\ndata: {"a":1}\ndata: {"b":2}\nid: 7'), { event: 'step', data: '{"a":1}\n{"b":2}', id: '7' });
  assert.equal(parseEventBlock('data:x'), { event: 'message', data: 'x' });
  assert.is(parseEventBlock(': keep-alive'), undefined);
});

test.run();
