/**
 * The gateway's HTTP contract, run against both modes over real HTTP: the exact requests faas-cli list,
 * describe, invoke, login and deploy send, and the OpenFaaS gateway's error behaviour (a plain-text 404,
 * 504 past exec_timeout, 413 over the body limit).
 */
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HTTP, type CloudEvent } from 'cloudevents';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startCallbackReceiver, type CallbackReceiver } from '../callback-receiver.js';
import { writeFixtureStack } from './fixture-stack.js';
import { startGateway, type Gateway } from '../index.js';
import type { GatewayMode } from '../../kernel/config.js';
import type { Whoami } from '../../testing/fixtures/functions/whoami/handler.js';

const FAAS_CLI = 'faas-cli/0.17.0 (openfaas; linux; arm64)';

export interface ContractContext {
  gw: Gateway;
  home: string;
  auth: string;
  callbacks: CallbackReceiver;
  /** What the whoami fixture's process sees. */
  whoami(): Promise<Whoami>;
}

/** The fixture stack plus whoami, which lists the secret fixture-token (created by the tests through /system/secrets). */
export const WHOAMI_ENTRY = `  whoami:
    lang: ganglion-ts
    handler: ./testing/fixtures/functions/whoami
    image: ghcr.io/ganglion/fixture-whoami:test
    environment:
      WHOAMI_NOTE: from stack.yml
    secrets: [fixture-token]
`;

export function gatewayContract(mode: GatewayMode, { env: extraEnv = {} }: { env?: Record<string, string> } = {}) {
  const ctx = {} as ContractContext;
  const s = suite<ContractContext>(`gateway contract (${mode} mode)`, ctx);
  const call = (path: string, init: RequestInit = {}) => fetch(ctx.gw.url + path, init);
  const system = (path: string, init: RequestInit = {}) => call(path, { ...init, headers: { authorization: ctx.auth, 'user-agent': FAAS_CLI, ...(init.headers as Record<string, string>) } });
  const alive = async () => assert.is((await call('/healthz')).status, 200, 'the gateway keeps serving');

  s.before(async () => {
    ctx.home = mkdtempSync(os.tmpdir() + '/g-');
    const stackFile = writeFixtureStack(ctx.home, WHOAMI_ENTRY);
    const env = { COUNTER_DIR: `${ctx.home}/counter`, LOG_LEVEL: 'silent', GANGLION_ASYNC_RETRY_MS: '10', GANGLION_ASYNC_MAX_ATTEMPTS: '3', GANGLION_CALLBACK_ALLOW: '127.0.0.1/32', ...extraEnv };
    ctx.gw = await startGateway({ stackFile, mode, home: ctx.home, port: 0, maxBodyBytes: 64 * 1024, env });
    ctx.callbacks = await startCallbackReceiver();
    ctx.auth = 'Basic ' + Buffer.from(`admin:${ctx.gw.password}`).toString('base64');
    ctx.whoami = async () => {
      const res = await call('/function/whoami', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      assert.is(res.status, 200);
      return ((await res.json()) as { data: Whoami }).data;
    };
  });
  s.after(async () => {
    await ctx.gw.stop();
    await ctx.callbacks.stop();
  });

  s('faas-cli invoke (text/plain body, empty Bearer token, NAME.openfaas-fn) gets the function answer and the gateway headers', async () => {
    const res = await call('/function/echo.openfaas-fn', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain', authorization: 'Bearer ', 'user-agent': FAAS_CLI } });
    assert.is(res.status, 200);
    assert.match(res.headers.get('x-call-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.match(res.headers.get('x-start-time') ?? '', /^\d{19}$/);
    assert.match(res.headers.get('x-served-by') ?? '', /^ganglion-gateway\//);
    assert.ok(Number(res.headers.get('x-duration-seconds')) >= 0);
    const body = (await res.json()) as { summary: string };
    assert.is(body.summary, 'echo: hello');
  });

  s('NAME and NAME.openfaas-fn are the same function; another namespace is not found', async () => {
    const plain = await call('/function/echo', { method: 'POST', body: 'a', headers: { 'content-type': 'text/plain' } });
    const suffixed = await call('/function/echo.openfaas-fn', { method: 'POST', body: 'a', headers: { 'content-type': 'text/plain' } });
    assert.is(plain.status, 200);
    assert.is(suffixed.status, 200);
    assert.is(((await plain.json()) as { data: { pid: number } }).data.pid, ((await suffixed.json()) as { data: { pid: number } }).data.pid);
    assert.is((await call('/function/echo.other', { method: 'POST', body: 'a' })).status, 404);
  });

  s('sub-path, query and end-to-end headers reach the function; hop-by-hop headers do not; X-Forwarded-* and the caller X-Call-Id are set', async () => {
    const res = await call('/function/mirror/sub/path?a=1&b=two', { method: 'PUT', body: '{"note":"x"}', headers: { 'content-type': 'application/json', 'x-custom': 'kept', 'x-call-id': 'call-123', 'proxy-authorization': 'secret', te: 'trailers' } });
    assert.is(res.status, 200);
    assert.is(res.headers.get('x-call-id'), 'call-123');
    const { data } = (await res.json()) as { data: { method: string; path: string; query: string; headers: Record<string, string> } };
    assert.is(data.method, 'PUT');
    assert.is(data.path, '/sub/path');
    assert.is(data.query, 'a=1&b=two');
    assert.is(data.headers['x-custom'], 'kept');
    assert.is(data.headers['x-call-id'], 'call-123');
    assert.match(data.headers['x-start-time'] ?? '', /^\d{19}$/);
    assert.match(data.headers['x-forwarded-for'] ?? '', /127\.0\.0\.1/);
    assert.match(data.headers['x-forwarded-host'] ?? '', /^127\.0\.0\.1:\d+$/);
    assert.is(data.headers['proxy-authorization'], undefined);
    assert.is(data.headers.te, undefined);
  });

  s('an unknown function gets a plain-text 404 and the gateway keeps serving', async () => {
    const res = await call('/function/nope', { method: 'POST', body: 'x' });
    assert.is(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /error finding function nope\.openfaas-fn/);
    await alive();
  });

  s('a function past its exec_timeout gets 504 and the gateway keeps serving', async () => {
    const res = await call('/function/slow', { method: 'POST', body: '{"message":"zz","delayMs":20000}', headers: { 'content-type': 'application/json' } });
    assert.is(res.status, 504);
    await alive();
  });

  s('a body over the limit gets 413 and the gateway keeps serving', async () => {
    const res = await call('/function/echo', { method: 'POST', body: 'x'.repeat(70 * 1024), headers: { 'content-type': 'text/plain' } });
    assert.is(res.status, 413);
    await alive();
  });

  s('malformed CloudEvents get 400 naming the attribute (specversion, id, type)', async () => {
    const base = { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'e1', 'ce-source': '/test', 'ce-type': 'dev.ganglion.step.requested' };
    const send = (h: Record<string, string>) => call('/function/echo', { method: 'POST', body: '{"message":"m"}', headers: h });
    const wrongSpec = await send({ ...base, 'ce-specversion': '0.3' });
    assert.is(wrongSpec.status, 400);
    assert.match(await wrongSpec.text(), /specversion/);
    const { 'ce-id': _id, ...noId } = base;
    const missingId = await send(noId);
    assert.is(missingId.status, 400);
    assert.match(await missingId.text(), /\bid\b/);
    const emptyType = await send({ ...base, 'ce-type': '' });
    assert.is(emptyType.status, 400);
    assert.match(await emptyType.text(), /type/);
    await alive();
  });

  s('response ce-* headers form a valid CloudEvent and runid/stepid/traceparent survive the hop', async () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await call('/function/echo.openfaas-fn', { method: 'POST', body: '{"message":"hop"}', headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': `e-${mode}`, 'ce-source': '/ganglion/planner', 'ce-type': 'dev.ganglion.step.requested', 'ce-runid': 'run-7', 'ce-stepid': 's2', 'ce-traceparent': tp } });
    assert.is(res.status, 200);
    const headers = Object.fromEntries(res.headers.entries());
    const parsed = HTTP.toEvent({ headers, body: await res.text() });
    const event = (Array.isArray(parsed) ? parsed[0] : parsed) as CloudEvent<unknown> | undefined;
    assert.ok(event?.validate());
    assert.is(event?.type, 'dev.ganglion.step.completed');
    assert.is(event?.runid, 'run-7');
    assert.is(event?.stepid, 's2');
    assert.is(event?.traceparent, tp);
  });

  s('faas-cli login: GET /system/functions with the right credentials is 200; none or wrong ones get 401 with the Basic realm', async () => {
    assert.is((await system('/system/functions')).status, 200);
    const none = await call('/system/functions');
    assert.is(none.status, 401);
    assert.is(none.headers.get('www-authenticate'), 'Basic realm="Restricted"');
    const wrong = await call('/system/functions', { headers: { authorization: 'Basic ' + Buffer.from('admin:nope').toString('base64') } });
    assert.is(wrong.status, 401);
    assert.is((await call('/system/info', { headers: { authorization: 'Bearer ' } })).status, 401);
    await alive();
  });

  s('faas-cli list: FunctionStatus with replicas, availableReplicas, invocationCount and omitempty', async () => {
    const res = await system('/system/functions?namespace=openfaas-fn');
    assert.is(res.status, 200);
    const list = (await res.json()) as Array<Record<string, unknown>>;
    const byName = Object.fromEntries(list.map((f) => [f.name, f]));
    assert.equal(Object.keys(byName).sort(), ['counter', 'echo', 'mirror', 'slow', 'whoami']);
    const echo = byName.echo as Record<string, unknown>;
    assert.is(echo.namespace, 'openfaas-fn');
    assert.is(echo.image, 'ghcr.io/ganglion/fixture-echo:test');
    assert.is(echo.replicas, 1);
    assert.is(echo.availableReplicas, 1);
    assert.ok((echo.invocationCount as number) >= 4);
    assert.equal(echo.labels, { tier: 'test' });
    assert.ok(!Number.isNaN(Date.parse(String(echo.createdAt))));
    const counter = byName.counter as Record<string, unknown>;
    assert.not.ok('invocationCount' in counter, 'zero invocations are omitted, as Go omitempty does');
    assert.not.ok('envVars' in counter);
    assert.is((await system('/system/functions?namespace=other')).status, 400);
  });

  s('faas-cli describe: GET /system/function/NAME?namespace=openfaas-fn&usage=1; 404 when absent', async () => {
    const res = await system('/system/function/echo?namespace=openfaas-fn&usage=1');
    assert.is(res.status, 200);
    const fn = (await res.json()) as Record<string, unknown>;
    assert.is(fn.name, 'echo');
    assert.is(fn.availableReplicas, 1);
    assert.is((await system('/system/function/nope?namespace=openfaas-fn&usage=1')).status, 404);
  });

  s('faas-cli remove then deploy: DELETE 202, PUT of the absent function 404, POST 202, and it serves again', async () => {
    const json = { 'content-type': 'application/json' };
    assert.is((await system('/system/functions', { method: 'DELETE', headers: json, body: JSON.stringify({ functionName: 'mirror', namespace: 'openfaas-fn' }) })).status, 202);
    assert.is((await call('/function/mirror', { method: 'POST', body: 'x' })).status, 404);
    assert.is((await system('/system/functions', { method: 'DELETE', headers: json, body: JSON.stringify({ functionName: 'mirror' }) })).status, 404);
    // As faas-cli's Go client may send it: unset fields as null or empty.
    const deployment = { service: 'mirror', image: 'ghcr.io/ganglion/fixture-mirror:test2', namespace: 'openfaas-fn', envProcess: '', envVars: { MODE: 'x' }, labels: {}, annotations: {}, constraints: null, secrets: null, limits: null, requests: null, readOnlyRootFilesystem: false };
    assert.is((await system('/system/functions', { method: 'PUT', headers: json, body: JSON.stringify(deployment) })).status, 404);
    assert.is((await system('/system/functions', { method: 'POST', headers: json, body: JSON.stringify(deployment) })).status, 202);
    assert.is((await system('/system/functions', { method: 'PUT', headers: json, body: JSON.stringify(deployment) })).status, 202);
    const res = await call('/function/mirror', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.is(res.status, 200);
    const fn = (await (await system('/system/function/mirror')).json()) as Record<string, unknown>;
    assert.is(fn.image, 'ghcr.io/ganglion/fixture-mirror:test2');
    assert.equal(fn.envVars, { MODE: 'x' });
    const bad = await system('/system/functions', { method: 'POST', headers: json, body: JSON.stringify({ service: 'ghost', image: 'x' }) });
    assert.is(bad.status, 400);
    assert.match(await bad.text(), /no code for function ghost/);
  });

  s('scale-function records replicas; info, namespaces, healthz (GET and HEAD) and metrics answer', async () => {
    const scaled = await system('/system/scale-function/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serviceName: 'echo', replicas: 3, namespace: 'openfaas-fn' }) });
    assert.is(scaled.status, 202);
    assert.is(((await (await system('/system/function/echo')).json()) as { replicas: number }).replicas, 3);
    assert.equal(await (await system('/system/namespaces')).json(), ['openfaas-fn']);
    const info = (await (await system('/system/info')).json()) as { provider: { provider: string }; version: { release: string }; arch: string };
    assert.ok(info.provider.provider && info.version.release && info.arch);
    assert.is((await call('/healthz', { method: 'HEAD' })).status, 200);
    const metrics = await (await call('/metrics')).text();
    assert.match(metrics, /gateway_function_invocation_total\{function_name="echo\.openfaas-fn",code="200"\} \d+/);
    assert.match(metrics, /gateway_functions_seconds_bucket\{le="[^"]+",function_name="echo\.openfaas-fn",code="200"\}/);
    assert.match(metrics, /gateway_service_count\{function_name="echo\.openfaas-fn"\} 1/);
  });

  s('faas-cli invoke --async: 202 with an empty body and X-Call-Id, then the callback brings the result with the OpenFaaS headers', async () => {
    const res = await call('/async-function/echo.openfaas-fn', { method: 'POST', body: 'later', headers: { 'content-type': 'text/plain', 'x-callback-url': ctx.callbacks.url, 'user-agent': FAAS_CLI } });
    assert.is(res.status, 202);
    assert.is(await res.text(), '');
    const id = res.headers.get('x-call-id') ?? '';
    assert.match(id, /^[0-9a-f-]{36}$/);
    await ctx.callbacks.waitFor((r) => r.some((c) => c.headers['x-call-id'] === id));
    const cb = ctx.callbacks.received.find((c) => c.headers['x-call-id'] === id);
    assert.is(cb?.headers['x-function-status'], '200');
    assert.is(cb?.headers['x-function-name'], 'echo');
    assert.ok(Number(cb?.headers['x-duration-seconds']) >= 0);
    assert.is(cb?.headers['ce-type'], 'dev.ganglion.step.completed');
    assert.is((JSON.parse(cb?.body ?? '{}') as { summary: string }).summary, 'echo: later');
  });

  s('async: GET is 405, an unknown function 404, an invalid or forbidden X-Callback-Url 400', async () => {
    assert.is((await call('/async-function/echo')).status, 405);
    assert.is((await call('/async-function/nope', { method: 'POST', body: 'x' })).status, 404);
    for (const bad of ['not a url', 'ftp://127.0.0.1/x', 'http://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/computeMetadata/v1/', 'http://[fe80::1]/cb', 'http://10.0.0.1/cb', 'http://[::ffff:127.0.0.2]/cb', 'http://[64:ff9b::a00:1]/cb', 'http://100.64.0.1/cb']) {
      const res = await call('/async-function/echo', { method: 'POST', body: 'x', headers: { 'x-callback-url': bad } });
      assert.is(res.status, 400, bad);
      assert.match(await res.text(), /X-Callback-Url/);
    }
    await alive();
  });

  s('async retries 5xx answers with the same X-Call-Id, dead-letters what keeps failing, and replays it on request', async () => {
    const submit = (failTimes: number) => call('/async-function/counter', { method: 'POST', body: JSON.stringify({ failTimes }), headers: { 'content-type': 'application/json', 'x-callback-url': ctx.callbacks.url } });
    const retried = (await submit(2)).headers.get('x-call-id') ?? '';
    await ctx.callbacks.waitFor((r) => r.some((c) => c.headers['x-call-id'] === retried));
    const ok = ctx.callbacks.received.find((c) => c.headers['x-call-id'] === retried);
    assert.is(ok?.headers['x-function-status'], '200', 'the third attempt succeeds');
    assert.is((JSON.parse(ok?.body ?? '{}') as { data: { attempt: number } }).data.attempt, 3);

    const doomed = (await submit(4)).headers.get('x-call-id') ?? '';
    await ctx.callbacks.waitFor((r) => r.some((c) => c.headers['x-call-id'] === doomed));
    assert.is(ctx.callbacks.received.find((c) => c.headers['x-call-id'] === doomed)?.headers['x-function-status'], '503');
    const dead = (await (await system('/system/async/dead-letters')).json()) as Array<{ callId: string; attempts: number }>;
    assert.equal(dead.map((d) => [d.callId, d.attempts]), [[doomed, 3]]);
    assert.is((await call('/system/async/dead-letters')).status, 401);
    const replay = await system(`/system/async/dead-letters/${doomed}/replay`, { method: 'POST' });
    assert.is(replay.status, 202);
    await ctx.callbacks.waitFor((r) => r.filter((c) => c.headers['x-call-id'] === doomed).length === 2);
    assert.is(ctx.callbacks.received.filter((c) => c.headers['x-call-id'] === doomed)[1]?.headers['x-function-status'], '200');
    assert.equal(await (await system('/system/async/dead-letters')).json(), []);
  });

  s('faas-cli secret create, list, update and remove through /system/secrets; a function listing the secret reads each value from its secrets folder', async () => {
    const json = { 'content-type': 'application/json' };
    const send = (method: string, body: unknown) => system('/system/secrets', { method, headers: json, body: JSON.stringify(body) });
    const names = async () => ((await (await system('/system/secrets')).json()) as Array<{ name: string; namespace: string }>).map((x) => x.name);
    // the embedded install step: the approval key and the gateway's own credentials for the functions that call /system
    const installed = await names();
    for (const n of ['basic-auth-password', 'basic-auth-user', 'ganglion-approval-key']) assert.ok(installed.includes(n), `${n} in ${installed.join(', ')}`);
    assert.not.match(JSON.stringify(await (await system('/system/secrets')).json()), ctx.gw.password, 'a listing never carries values');
    assert.is((await call('/system/secrets')).status, 401);

    assert.is((await send('POST', { name: 'fixture-token', namespace: 'openfaas-fn', value: 'one' })).status, 201);
    assert.is((await send('POST', { name: 'fixture-token', value: 'again' })).status, 409);
    assert.ok((await names()).includes('fixture-token'));
    assert.is((await ctx.whoami()).secrets['fixture-token'], 'one');
    assert.is(statSync(path.join(ctx.home, 'secrets', 'fixture-token')).mode & 0o777, 0o600);

    // faas-cli secret create --from-file sends the bytes as rawValue (base64)
    assert.is((await send('PUT', { name: 'fixture-token', namespace: 'openfaas-fn', rawValue: Buffer.from('two').toString('base64') })).status, 202);
    assert.is((await ctx.whoami()).secrets['fixture-token'], 'two');
    assert.is((await send('PUT', { name: 'no-such-secret', value: 'x' })).status, 404);
    assert.is((await send('POST', { name: '../escape', value: 'x' })).status, 400);
    assert.is((await send('POST', { name: 'other-ns', namespace: 'kube-system', value: 'x' })).status, 400);
    assert.is((await send('POST', { name: 'empty' })).status, 400);

    assert.is((await send('DELETE', { name: 'fixture-token', namespace: 'openfaas-fn' })).status, 202);
    assert.is((await send('DELETE', { name: 'fixture-token' })).status, 404);
    assert.not.ok((await names()).includes('fixture-token'));
    assert.is((await ctx.whoami()).secrets['fixture-token'], undefined);
    await alive();
  });

  return { suite: s, ctx };
}
