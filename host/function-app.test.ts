import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HTTP } from 'cloudevents';
import { createFunctionApp } from './function-app.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import * as echo from '../testing/fixtures/functions/echo/handler.js';
import type { FnRequest } from '../function-kit/function-module.js';

const app = createFunctionApp(echo, { config: loadConfig({}), log: createLogger({ name: 'test', level: 'silent' }), kube: createKubeAccess() });
const req = (headers: Record<string, string>, body: string): FnRequest => ({ method: 'POST', path: '/', query: new URLSearchParams(), headers, body: Buffer.from(body) });

test('a plain text body, as faas-cli invoke sends it, becomes the text field and the answer is a binary CloudEvent', async () => {
  const res = await app(req({ 'content-type': 'text/plain' }, 'hello'));
  assert.is(res.status, 200);
  const ev = HTTP.toEvent({ headers: res.headers, body: res.body as string });
  assert.ok(!Array.isArray(ev));
  const one = Array.isArray(ev) ? ev[0] : ev;
  one?.validate();
  assert.is(one?.type, 'dev.ganglion.step.completed');
  assert.is(one?.source, '/ganglion/echo');
  assert.equal((one?.data as { summary: string }).summary, 'echo: hello');
});

test('runid, stepid and traceparent survive the hop', async () => {
  const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const res = await app(req({ 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'a1', 'ce-source': '/ganglion/planner', 'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'run-1', 'ce-stepid': 's1', 'ce-traceparent': tp }, '{"message":"hi"}'));
  assert.is(res.status, 200);
  assert.is(res.headers['ce-runid'], 'run-1');
  assert.is(res.headers['ce-stepid'], 's1');
  assert.is(res.headers['ce-traceparent'], tp);
});

test('invalid input gets 400 naming the field and a step.failed event', async () => {
  const res = await app(req({ 'content-type': 'application/json' }, '{"message": 5}'));
  assert.is(res.status, 400);
  assert.is(res.headers['ce-type'], 'dev.ganglion.step.failed');
  assert.match(String(res.body), /message/);
});

test('a malformed CloudEvent gets 400 naming the attribute', async () => {
  const base = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'x', 'ce-source': '/t', 'ce-type': 't' };
  const wrongVersion = await app(req({ ...base, 'ce-specversion': '0.2' }, '{"message":"a"}'));
  assert.is(wrongVersion.status, 400);
  assert.match(String(wrongVersion.body), /specversion/);
  const { 'ce-id': _id, ...noId } = base;
  const missingId = await app(req(noId, '{"message":"a"}'));
  assert.is(missingId.status, 400);
  assert.match(String(missingId.body), /\bid is missing/);
  const emptyType = await app(req({ ...base, 'ce-type': '' }, '{"message":"a"}'));
  assert.is(emptyType.status, 400);
  assert.match(String(emptyType.body), /type must be a non-empty string/);
});

test('a structured CloudEvent with charset=UTF-8 is accepted', async () => {
  const res = await app(req({ 'content-type': 'application/cloudevents+json; charset=UTF-8' }, JSON.stringify({ specversion: '1.0', id: 'z', source: '/t', type: 'dev.ganglion.step.requested', data: { message: 'structured' } })));
  assert.is(res.status, 200);
  assert.match(String(res.body), /structured/);
});

test('a retried event (same source and id) is answered from the cache, not run twice', async () => {
  const headers = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'dup-1', 'ce-source': '/t', 'ce-type': 't' };
  const first = await app(req(headers, '{"message":"once"}'));
  const second = await app(req(headers, '{"message":"once"}'));
  assert.is(first.headers['ce-id'], second.headers['ce-id']);
});

test('the same source and id with another body or another approval is a new event, not a retry', async () => {
  const headers = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'dup-2', 'ce-source': '/t', 'ce-type': 't' };
  const first = await app(req(headers, '{"message":"one"}'));
  const other = await app(req(headers, '{"message":"two"}'));
  const approved = await app(req({ ...headers, 'ce-approval': 'a'.repeat(64) }, '{"message":"one"}'));
  assert.match(String(other.body), /two/);
  assert.is.not(first.headers['ce-id'], other.headers['ce-id']);
  assert.is.not(first.headers['ce-id'], approved.headers['ce-id']);
});

test('a plain-body call redelivered with the same X-Call-Id runs once and gets the first answer; the same id with another body runs', async () => {
  const ran: string[] = [];
  const counting = { ...echo, handle: async (inp: { message: string }) => { ran.push(inp.message); return { summary: `ran ${ran.length}: ${inp.message}`, data: {} }; } };
  const countingApp = createFunctionApp(counting, { config: loadConfig({}), log: createLogger({ name: 'test', level: 'silent' }), kube: createKubeAccess() });
  const first = await countingApp(req({ 'content-type': 'text/plain', 'x-call-id': 'call-1' }, 'deploy'));
  const again = await countingApp(req({ 'content-type': 'text/plain', 'x-call-id': 'call-1' }, 'deploy'));
  assert.equal(ran, ['deploy'], 'the redelivery did not run the step again');
  assert.is(again.body, first.body);
  const other = await countingApp(req({ 'content-type': 'text/plain', 'x-call-id': 'call-1' }, 'dry run'));
  assert.equal(ran, ['deploy', 'dry run'], 'a reused call id with another body is not answered from the cache');
  assert.match(String(other.body), 'ran 2: dry run');
  await countingApp(req({ 'content-type': 'text/plain', 'x-call-id': 'call-2' }, 'deploy'));
  assert.is(ran.length, 3, 'another call id runs');
});

test.run();
