import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CloudEvent } from 'cloudevents';
import { createEvent, decodeHeaderValue, encodeHeaderValue, readRequest, toBinary } from './cloud-event.js';
import { EVENT, sourceOf } from './event-types.js';

const extensions = { runid: 'r-1', stepid: 's-2', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', hopsleft: 7, approval: 'tok.sig' };

test('an event we build passes the cloudevents package\'s own full validation', () => {
  const event = createEvent({ type: EVENT.stepCompleted, source: sourceOf('cluster-status'), subject: 'home-lab', data: { summary: 'ok' }, extensions });
  assert.is(event.validate(), true);
  // the same attributes through the package's strict constructor are accepted too
  assert.not.throws(() => new CloudEvent({ ...event.toJSON() }, true));
  assert.is(event.specversion, '1.0');
  assert.ok(event.id && event.time);
});

test('an event we build reads back with every attribute through the binary HTTP mode', () => {
  const event = createEvent({ id: 'e-1', type: EVENT.stepCompleted, source: '/ganglion/planner', subject: 'ünïcode subject', data: { n: 1 }, extensions });
  const { headers, body } = toBinary(event);
  const back = readRequest(headers, Buffer.from(body));
  assert.is(back.kind, 'event');
  if (back.kind !== 'event') return;
  assert.is(back.event.id, 'e-1');
  assert.is(back.event.source, '/ganglion/planner');
  assert.is(back.event.subject, 'ünïcode subject');
  assert.equal(back.event.data, { n: 1 });
  assert.is(back.event.extensions.runid, 'r-1');
  assert.is(String(back.event.extensions.hopsleft), '7');
});

test('attributes the spec forbids are refused with the attribute named', () => {
  const base = { type: EVENT.stepCompleted, source: sourceOf('x'), data: null };
  assert.throws(() => createEvent({ ...base, extensions: { runId: 'r' } }), /extension name "runId"/);
  assert.throws(() => createEvent({ ...base, extensions: { source: 'r' } }), /extension name "source"/);
  assert.throws(() => createEvent({ ...base, extensions: { hopsleft: 1.5 } }), /extension hopsleft must be a string, boolean or integer/);
  assert.throws(() => createEvent({ ...base, source: 'not a uri' }), /source "not a uri" is not a URI-reference/);
  assert.throws(() => createEvent({ ...base, source: '' }), /is not a URI-reference/);
  assert.throws(() => createEvent({ ...base, type: '' }), /type is empty/);
  assert.throws(() => createEvent({ ...base, id: '' }), /id is empty/);
});

test('undefined extensions and an empty subject are left out, as before', () => {
  const event = createEvent({ type: EVENT.stepCompleted, source: sourceOf('x'), subject: '', data: 1, extensions: { runid: undefined, stepid: 's' } });
  const json = event.toJSON() as Record<string, unknown>;
  assert.is(json.runid, undefined);
  assert.is(json.subject, undefined);
  assert.is(json.stepid, 's');
});

test('header values are percent-encoded exactly where the HTTP binding asks, and decode back', () => {
  // every ASCII character: only space, ", % and controls are encoded
  for (let c = 0; c < 0x80; c++) {
    const ch = String.fromCharCode(c);
    const plain = c > 0x20 && c < 0x7f && ch !== '"' && ch !== '%';
    assert.is(encodeHeaderValue(`a${ch}b`), plain ? `a${ch}b` : `a%${c.toString(16).toUpperCase().padStart(2, '0')}b`, `character ${c}`);
  }
  assert.is(encodeHeaderValue('2026-11-25T16:00:00.000Z'), '2026-11-25T16:00:00.000Z');
  assert.is(encodeHeaderValue(''), '');
  assert.is(encodeHeaderValue('Grüße 100%'), 'Gr%C3%BC%C3%9Fe%20100%25');
  for (const v of ['Grüße 100%', 'a "quoted" value', '/ganglion/planner', '日本']) assert.is(decodeHeaderValue(encodeHeaderValue(v), 'ce-x'), v);
});

test('a text body that looks like JSON is JSON from faas-cli and curl, but stays text when a browser sent it', () => {
  const body = Buffer.from('{"text":"Scale the web tier to 0 replicas","context":{"yes":true}}');
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    assert.equal(readRequest({ 'content-type': contentType }, body), { kind: 'plain', data: JSON.parse(body.toString()) }, contentType);
    for (const browser of [{ origin: 'https://evil.example' }, { origin: 'http://127.0.0.1:8080' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-origin' }]) {
      assert.equal(readRequest({ 'content-type': contentType, ...browser }, body), { kind: 'plain', data: body.toString() }, `${contentType} ${JSON.stringify(browser)}`);
    }
  }
  assert.equal(readRequest({ 'content-type': 'text/plain', 'sec-fetch-site': 'none' }, body).kind, 'plain');
  assert.equal(readRequest({ 'content-type': 'application/json', origin: 'http://127.0.0.1:8080' }, body), { kind: 'plain', data: JSON.parse(body.toString()) }, 'declared JSON (which a page cannot send cross-site without asking) is JSON');
});

test.run();
