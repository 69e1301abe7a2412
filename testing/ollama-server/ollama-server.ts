/** An Ollama-compatible HTTP server for tests: the real wire protocol, scripted model answers, recorded calls. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsFor, promptCharsOf, splitIntoChunks, toolCallId, type RecordedCall, type ScriptedReply } from './scripted-reply.js';

export interface TestModel {
  name: string;
  /** e.g. "70.6B" */
  parameterSize?: string;
  /** Ollama capabilities; default completion + tools. */
  capabilities?: string[];
}

export type ReplyScript = (call: RecordedCall) => ScriptedReply | undefined;

export interface OllamaTestServer {
  url: string;
  /** Every request, in order. */
  calls: RecordedCall[];
  /** Calls to /api/chat and /api/generate that asked a model for an answer (model load calls excluded). */
  modelCalls(): RecordedCall[];
  /** Adds answers taken one per model call, before the `respond` function is asked. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Answers calls the queue does not cover. */
  respond(script: ReplyScript): void;
  stop(): Promise<void>;
}

const VERSION = '0.12.6';

/**
 * Starts the server on 127.0.0.1 and an ephemeral port unless told otherwise. Like Ollama, it answers `parallel`
 * generations at once (OLLAMA_NUM_PARALLEL), queues the rest in order and answers 503 past `maxQueue` (OLLAMA_MAX_QUEUE).
 */
export async function startOllamaServer({ models = [{ name: 'llama3.1:8b' }], port = 0, parallel = 4, maxQueue = 512 }: { models?: TestModel[]; port?: number; parallel?: number; maxQueue?: number } = {}): Promise<OllamaTestServer> {
  const calls: RecordedCall[] = [];
  const queue: ScriptedReply[] = [];
  let script: ReplyScript = () => undefined;
  const loaded = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const waiting: (() => void)[] = [];
  let busy = 0;
  /** Runs `start` when a slot is free; frees it when the response ends or the client goes away. */
  const withSlot = (res: http.ServerResponse, start: () => void): void => {
    const run = () => {
      // A client that went away while queued gives its turn to the next.
      if (res.closed) return void waiting.shift()?.();
      busy++;
      res.on('close', () => {
        busy--;
        waiting.shift()?.();
      });
      start();
    };
    if (busy < parallel) run();
    else waiting.push(run);
  };
  const known = (name: unknown) => models.find((m) => typeof name === 'string' && (m.name === name || m.name === `${name}:latest`));

  const later = (ms: number, fn: () => void, res: http.ServerResponse) => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
    res.on('close', () => { clearTimeout(t); timers.delete(t); });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      let badJson = '';
      if (raw.trim()) {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
          else badJson = 'json: cannot unmarshal into Go value of type api.Request';
        } catch (err) {
          badJson = `invalid character in request body: ${(err as Error).message}`;
        }
      }
      const call: RecordedCall = { method: req.method ?? 'GET', path: url.pathname, body, promptChars: promptCharsOf(body), ...(typeof body?.model === 'string' ? { model: body.model } : {}) };
      calls.push(call);
      route(call, raw, badJson, res);
    });
  });

  function route(call: RecordedCall, raw: string, badJson: string, res: http.ServerResponse): void {
    const { method, path } = call;
    const read = method === 'GET' || method === 'HEAD';
    if (path === '/' && read) return text(res, 200, 'Ollama is running', method);
    if (path === '/api/version' && read) return json(res, 200, { version: VERSION }, method);
    if (path === '/api/tags' && read) return json(res, 200, { models: models.map(tagOf) }, method);
    if (path === '/api/ps' && method === 'GET') {
      const now = Date.now();
      const running = models.filter((m) => (loaded.get(m.name) ?? 0) > now).map((m) => ({ ...tagOf(m), expires_at: new Date(loaded.get(m.name) ?? now).toISOString(), size_vram: 0, context_length: 8192 }));
      return json(res, 200, { models: running });
    }
    const post = ['/api/show', '/api/chat', '/api/generate'].includes(path);
    if (!post) return text(res, 404, '404 page not found');
    if (method !== 'POST') return text(res, 405, '405 method not allowed');
    if (!raw.trim()) return json(res, 400, { error: 'missing request body' });
    if (badJson || !call.body) return json(res, 400, { error: badJson || 'invalid request body' });
    const body = call.body;
    const name = body.model ?? body.name;
    if (typeof name !== 'string' || !name) return json(res, 400, { error: 'model is required' });
    const model = known(name);
    if (!model) return json(res, 404, { error: `model '${name}' not found` });
    if (path === '/api/show') return json(res, 200, showOf(model));
    const format = body.format;
    if (format !== undefined && format !== '' && format !== 'json' && (typeof format !== 'object' || format === null || Array.isArray(format))) {
      return json(res, 400, { error: `invalid format: ${JSON.stringify(format)}; expected "json" or a valid JSON Schema object` });
    }
    const caps = model.capabilities ?? ['completion', 'tools'];
    if (Array.isArray(body.tools) && body.tools.length > 0 && !caps.includes('tools')) {
      return json(res, 400, { error: `registry.ollama.ai/library/${model.name} does not support tools` });
    }
    if (body.think !== undefined && body.think !== false && !caps.includes('thinking')) return json(res, 400, { error: `"${model.name}" does not support thinking` });
    if (typeof body.top_logprobs === 'number' && (body.top_logprobs < 0 || body.top_logprobs > 20)) return json(res, 400, { error: 'top_logprobs must be between 0 and 20' });
    const isChat = path === '/api/chat';
    const stream = body.stream !== false;
    const keepAliveMs = keepAliveOf(body.keep_alive);
    const empty = isChat ? !Array.isArray(body.messages) || body.messages.length === 0 : typeof body.prompt !== 'string' || body.prompt === '';
    if (empty) {
      if (keepAliveMs === 0) loaded.delete(model.name);
      else loaded.set(model.name, Date.now() + keepAliveMs);
      return json(res, 200, { model: model.name, created_at: new Date().toISOString(), ...(isChat ? { message: { role: 'assistant', content: '' } } : { response: '' }), done: true, done_reason: keepAliveMs === 0 ? 'unload' : 'load' });
    }
    const wasLoaded = (loaded.get(model.name) ?? 0) > Date.now();
    if (keepAliveMs === 0) loaded.delete(model.name);
    else loaded.set(model.name, Date.now() + keepAliveMs);
    if (busy >= parallel && waiting.length >= maxQueue) return json(res, 503, { error: 'server busy, please try again.  maximum pending requests exceeded' });
    const reply = queue.shift() ?? script(call);
    if (!reply) return json(res, 500, { error: `test server: no scripted reply for call ${calls.length} to ${path}` });
    withSlot(res, () => answer({ res, reply, model: model.name, isChat, stream, promptChars: call.promptChars, wasLoaded }));
  }

  function answer({ res, reply, model, isChat, stream, promptChars, wasLoaded }: { res: http.ServerResponse; reply: ScriptedReply; model: string; isChat: boolean; stream: boolean; promptChars: number; wasLoaded: boolean }): void {
    const piece = (content: string, extra: Record<string, unknown> = {}) => ({
      model,
      created_at: new Date().toISOString(),
      ...(isChat ? { message: { role: 'assistant', content, ...extra } } : { response: content }),
      done: false,
    });
    if (reply.kind === 'error') {
      if (reply.delayMs) return later(reply.delayMs, () => json(res, reply.status, { error: reply.error }), res);
      return json(res, reply.status, { error: reply.error });
    }
    if (reply.kind === 'slow') {
      return later(reply.delayMs, () => answer({ res, reply: { content: reply.content }, model, isChat, stream, promptChars, wasLoaded }), res);
    }
    if (reply.kind === 'mid-stream-error' || reply.kind === 'cut-off') {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      for (const c of splitIntoChunks(reply.content, 4)) res.write(`${JSON.stringify(piece(c))}\n`);
      if (reply.kind === 'mid-stream-error') res.write(`${JSON.stringify({ error: reply.error })}\n`);
      res.end();
      return;
    }
    if (reply.delayMs) {
      const { delayMs: _d, ...rest } = reply;
      return later(reply.delayMs, () => answer({ res, reply: rest, model, isChat, stream, promptChars, wasLoaded }), res);
    }
    const toolCalls = (reply.toolCalls ?? []).map((t, i) => ({ id: toolCallId(i + 1), function: { index: i, name: t.name, arguments: t.arguments } }));
    const final = {
      model,
      created_at: new Date().toISOString(),
      ...(isChat ? { message: { role: 'assistant', content: stream ? '' : reply.content, ...(!stream && toolCalls.length ? { tool_calls: toolCalls } : {}) } } : { response: stream ? '' : reply.content }),
      done: true,
      done_reason: reply.doneReason ?? 'stop',
      ...(isChat ? {} : { context: [128006, 9125, 128007] }),
      ...metricsFor(promptChars, reply.content, wasLoaded),
    };
    if (!stream) return json(res, 200, final);
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    for (const c of splitIntoChunks(reply.content, reply.chunks ?? 6)) if (c) res.write(`${JSON.stringify(piece(c))}\n`);
    if (toolCalls.length) res.write(`${JSON.stringify(piece('', { tool_calls: toolCalls }))}\n`);
    res.end(`${JSON.stringify(final)}\n`);
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    calls,
    modelCalls: () => calls.filter((c) => (c.path === '/api/chat' || c.path === '/api/generate') && c.promptChars > 0),
    enqueue: (...replies) => { queue.push(...replies); },
    respond: (fn) => { script = fn; },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function tagOf(m: TestModel) {
  const [family] = m.name.split(/[:.\d]/);
  return {
    name: m.name,
    model: m.name,
    modified_at: '2026-10-02T09:14:03.512908+02:00',
    size: 4_920_753_328,
    digest: '46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e',
    details: { parent_model: '', format: 'gguf', family: family || 'llama', families: [family || 'llama'], parameter_size: m.parameterSize ?? '8.0B', quantization_level: 'Q4_K_M' },
  };
}

function showOf(m: TestModel) {
  return {
    license: 'LLAMA 3.1 COMMUNITY LICENSE AGREEMENT',
    modelfile: `FROM ${m.name}`,
    parameters: 'stop "<|eot_id|>"',
    template: '{{- if .Tools }}{{ .Tools }}{{ end }}{{ .Prompt }}',
    details: tagOf(m).details,
    model_info: { 'general.architecture': 'llama', 'llama.context_length': 131072 },
    capabilities: m.capabilities ?? ['completion', 'tools'],
    modified_at: '2026-10-02T09:14:03.512908+02:00',
  };
}

/** keep_alive as Ollama reads it: seconds as a number, or a Go duration; default 5 minutes. */
function keepAliveOf(v: unknown): number {
  if (typeof v === 'number') return v < 0 ? Number.MAX_SAFE_INTEGER : v * 1000;
  if (typeof v !== 'string' || v === '') return 300_000;
  const m = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) return 300_000;
  const n = Number(m[1]);
  if (n < 0) return Number.MAX_SAFE_INTEGER;
  const unit = m[2] ?? 's';
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
}

function json(res: http.ServerResponse, status: number, value: unknown, method = 'GET'): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(method === 'HEAD' ? undefined : body);
}

function text(res: http.ServerResponse, status: number, value: string, method = 'GET'): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(value) });
  res.end(method === 'HEAD' ? undefined : value);
}
