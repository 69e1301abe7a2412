import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatChange, useColour } from './render.js';
import { parseEventBlock } from './event-stream.js';

test('a replica change reads replicas 3 → 5, prefixed by its object', () => {
  assert.is(formatChange({ object: 'deployment/frontend (web)', field: 'replicas', before: 3, after: 5 }), 'deployment/frontend (web): replicas 3 → 5');
});

test('the namespace is added to an object that does not name it, even when the name contains it', () => {
  assert.is(formatChange({ object: 'deployment/web-proxy', namespace: 'web', field: 'replicas', before: 2, after: 5 }), 'deployment/web-proxy (web): replicas 2 → 5');
  assert.is(formatChange({ object: 'deployment/frontend (web)', namespace: 'web', field: 'replicas', before: 2, after: 5 }), 'deployment/frontend (web): replicas 2 → 5');
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
