/** The Ollama-compatible test server answers the real `ollama` client the way a real Ollama server does. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ollama } from 'ollama';
import { startOllamaServer } from './ollama-server.js';
import { cutOffStream, proseWrappedJson, truncatedJson } from './model-outputs.js';

const models = [{ name: 'llama3.1:70b', parameterSize: '70.6B' }, { name: 'llama3.1:8b' }, { name: 'gemma3:4b', capabilities: ['completion', 'vision'] }];

test('answers version, tags, ps and show as Ollama does', async () => {
  const srv = await startOllamaServer({ models });
  const client = new Ollama({ host: srv.url });
  try {
    assert.equal((await client.version()).version, '0.12.6');
    const tags = await client.list();
    assert.equal(tags.models.map((m) => m.name), ['llama3.1:70b', 'llama3.1:8b', 'gemma3:4b']);
    assert.equal(tags.models[0].details.parameter_size, '70.6B');
    const show = await client.show({ model: 'llama3.1:8b' });
    assert.ok(show.capabilities.includes('tools'));
    assert.equal((await client.ps()).models.length, 0);
    const root = await fetch(srv.url, { method: 'HEAD' });
    assert.is(root.status, 200);
  } finally {
    await srv.stop();
  }
});

test('streams a chat answer as NDJSON ending in a done chunk with metrics', async () => {
  const srv = await startOllamaServer({ models });
  srv.enqueue({ content: '{"steps":[]}', chunks: 4 });
  const client = new Ollama({ host: srv.url });
  try {
    const parts = [];
    for await (const part of await client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'hi' }], stream: true, format: { type: 'object' } })) parts.push(part);
    assert.ok(parts.length >= 3);
    const last = parts[parts.length - 1];
    assert.is(last.done, true);
    assert.is(last.done_reason, 'stop');
    assert.ok(last.eval_count > 0 && last.prompt_eval_count > 0);
    assert.is(parts.map((p) => p.message.content).join(''), '{"steps":[]}');
    assert.equal(srv.modelCalls().length, 1);
    assert.is(srv.modelCalls()[0].promptChars, 2);
    assert.equal((await client.ps()).models.map((m) => m.name), ['llama3.1:8b']);
  } finally {
    await srv.stop();
  }
});

test('answers stream:false with one JSON object carrying tool calls as objects', async () => {
  const srv = await startOllamaServer({ models });
  srv.enqueue({ content: '', toolCalls: [{ name: 'scale', arguments: { deployment: 'frontend', replicas: 5 } }] });
  const client = new Ollama({ host: srv.url });
  try {
    const res = await client.chat({ model: 'llama3.1:70b', messages: [{ role: 'user', content: 'scale' }], tools: [{ type: 'function', function: { name: 'scale', description: 'x', parameters: { type: 'object', properties: {} } } }] });
    assert.is(res.done, true);
    assert.equal(res.message.tool_calls?.[0].function, { index: 0, name: 'scale', arguments: { deployment: 'frontend', replicas: 5 } });
  } finally {
    await srv.stop();
  }
});

test('reports errors the way ollama-js surfaces them: status and message', async () => {
  const srv = await startOllamaServer({ models });
  const client = new Ollama({ host: srv.url });
  try {
    const missing = await client.chat({ model: 'llama3.1:405b', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.instance(missing, Error);
    assert.is((missing as { status_code?: number }).status_code, 404);
    assert.is((missing as Error).message, "model 'llama3.1:405b' not found");
    const tools = await client.chat({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'a', description: 'b', parameters: { type: 'object' } } }] }).catch((e: unknown) => e);
    assert.is((tools as Error).message, 'registry.ollama.ai/library/gemma3:4b does not support tools');
    const format = await client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'x' }], format: 'yaml' }).catch((e: unknown) => e);
    assert.match((format as Error).message, /invalid format/);
    const think = await client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'x' }], think: true }).catch((e: unknown) => e);
    assert.is((think as Error).message, '"llama3.1:8b" does not support thinking');
    srv.enqueue({ kind: 'error', status: 500, error: 'llama runner process has terminated: signal: killed' });
    const crash = await client.generate({ model: 'llama3.1:8b', prompt: 'x' }).catch((e: unknown) => e);
    assert.is((crash as { status_code?: number }).status_code, 500);
  } finally {
    await srv.stop();
  }
});

test('a mid-stream error line and a cut-off stream fail the client iterator', async () => {
  const srv = await startOllamaServer({ models });
  srv.enqueue({ kind: 'mid-stream-error', content: '{"steps":', error: 'an error was encountered while running the model: unexpected EOF' }, cutOffStream({ steps: [{ id: 's1' }] }));
  const client = new Ollama({ host: srv.url });
  const drain = async () => {
    let text = '';
    for await (const p of await client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'x' }], stream: true })) text += p.message.content;
    return text;
  };
  try {
    const mid = await drain().catch((e: unknown) => e);
    assert.match((mid as Error).message, /unexpected EOF/);
    const cut = await drain().catch((e: unknown) => e);
    assert.match((cut as Error).message, /Did not receive done or success response in stream/);
  } finally {
    await srv.stop();
  }
});

test('generate answers with response text and scripted outputs keep their realistic shape', async () => {
  const srv = await startOllamaServer({ models });
  srv.enqueue(proseWrappedJson({ steps: [] }), truncatedJson({ steps: [{ id: 's1', fn: 'scale' }] }));
  const client = new Ollama({ host: srv.url });
  try {
    const a = await client.generate({ model: 'llama3.1:8b', prompt: 'plan' });
    assert.match(a.response ?? '', /^Sure! Here is the plan/);
    assert.match(a.response ?? '', /```json\n\{\n {2}"steps": \[\]\n\}\n```/);
    const b = await client.generate({ model: 'llama3.1:8b', prompt: 'plan', stream: false });
    assert.throws(() => JSON.parse(b.response ?? ''));
    assert.is(b.done_reason, 'length');
    const load = await client.generate({ model: 'llama3.1:8b', prompt: '', keep_alive: 0 });
    assert.is(load.done_reason, 'unload');
    assert.is(srv.modelCalls().length, 2);
  } finally {
    await srv.stop();
  }
});

test('a slow answer can be abandoned by the client and the server still stops at once', async () => {
  const srv = await startOllamaServer({ models });
  srv.enqueue({ kind: 'slow', delayMs: 60_000, content: '{}' });
  const ctl = new AbortController();
  const client = new Ollama({ host: srv.url, fetch: (input, init) => fetch(input, { ...init, signal: ctl.signal }) });
  const pending = client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
  while (srv.modelCalls().length === 0) await new Promise((r) => setImmediate(r));
  ctl.abort();
  const err = await pending;
  assert.is((err as Error).name, 'AbortError');
  await srv.stop();
});

test('answers one generation at a time with parallel 1, queues the next and refuses past the queue with 503', async () => {
  const srv = await startOllamaServer({ models, parallel: 1, maxQueue: 1 });
  srv.enqueue({ kind: 'slow', delayMs: 60_000, content: '{}' }, { content: '{"queued":true}' });
  const ctl = new AbortController();
  const client = new Ollama({ host: srv.url, fetch: (input, init) => fetch(input, { ...init, signal: ctl.signal }) });
  const ask = () => client.chat({ model: 'llama3.1:8b', messages: [{ role: 'user', content: 'x' }] });
  try {
    const first = ask().catch((e: unknown) => e);
    const second = ask().catch((e: unknown) => e);
    while (srv.modelCalls().length < 2) await new Promise((r) => setImmediate(r));
    const third = await ask().catch((e: unknown) => e);
    assert.is((third as { status_code?: number }).status_code, 503);
    assert.match((third as Error).message, /server busy/);
    ctl.abort();
    assert.is(((await first) as Error).name, 'AbortError');
    assert.is(((await second) as Error).name, 'AbortError');
  } finally {
    await srv.stop();
  }
});

test.run();
