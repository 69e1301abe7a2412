/** One bounded call to Ollama through the `ollama` client: streamed, abortable, every failure named. */
import { Ollama, type Message } from 'ollama';
import { isAbortError } from '../../../kernel/errors.js';

export type Fetch = typeof fetch;

export type CallResult =
  /** `cutAtLimit`: the model stopped at its token limit (done_reason "length"), so the JSON is likely incomplete. */
  | { ok: true; content: string; evalCount?: number; promptEvalCount?: number; cutAtLimit?: boolean }
  /**
   * unreachable: no server (connection refused, DNS, reset) · timeout: no full answer within the budget ·
   * missing-model: 404 · cut-off: the stream ended early or carried an error line (the answer is partial) ·
   * server: any other HTTP error.
   */
  | { ok: false; kind: 'unreachable' | 'timeout' | 'missing-model' | 'cut-off' | 'server'; message: string; partial?: string };

/** A fetch that also obeys `signal`: ollama-js cannot abort a request by itself except a stream it started. */
export function boundedFetch(base: Fetch, signal: AbortSignal): Fetch {
  return (input, init) => base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

export interface ChatCall {
  host: string;
  model: string;
  messages: Message[];
  format: Record<string, unknown>;
  /** Whole answer, first byte to done:true. */
  timeoutMs: number;
  keepAlive: string;
  numCtx: number;
  /** The caller's signal: its abort is passed through as an AbortError, not turned into a result. */
  signal: AbortSignal;
  fetch?: Fetch;
}

/** Asks for one answer with temperature 0 and streams it, so a stall or a cut is seen rather than waited out. */
export async function chatOnce(call: ChatCall): Promise<CallResult> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const both = AbortSignal.any([call.signal, timeout]);
  const client = new Ollama({ host: call.host, fetch: boundedFetch(call.fetch ?? fetch, both) });
  let content = '';
  try {
    const stream = await client.chat({
      model: call.model,
      messages: call.messages,
      format: call.format,
      stream: true,
      // Ollama reads a bare number as seconds (-1 = keep loaded); a string must carry a unit ("30m").
      keep_alive: /^-?\d+$/.test(call.keepAlive) ? Number(call.keepAlive) : call.keepAlive,
      options: { temperature: 0, num_ctx: call.numCtx },
    });
    let evalCount: number | undefined;
    let promptEvalCount: number | undefined;
    let cutAtLimit = false;
    for await (const part of stream) {
      content += part.message?.content ?? '';
      if (part.done) {
        evalCount = part.eval_count;
        promptEvalCount = part.prompt_eval_count;
        cutAtLimit = part.done_reason === 'length';
      }
    }
    return { ok: true, content, ...(cutAtLimit ? { cutAtLimit } : {}), ...(evalCount !== undefined ? { evalCount } : {}), ...(promptEvalCount !== undefined ? { promptEvalCount } : {}) };
  } catch (err) {
    if (call.signal.aborted) throw call.signal.reason ?? err;
    return classify(err, call, content, timeout.aborted);
  }
}

function classify(err: unknown, call: ChatCall, partial: string, timedOut: boolean): CallResult {
  const e = err as Error & { status_code?: number; cause?: { code?: string; message?: string } };
  if (timedOut || (isAbortError(err) && !call.signal.aborted)) {
    return { ok: false, kind: 'timeout', message: `model ${call.model} did not finish its answer within ${call.timeoutMs} ms (GANGLION_BRAIN_TIMEOUT_MS)`, partial };
  }
  if (e.name === 'ResponseError' || typeof e.status_code === 'number') {
    if (e.status_code === 404) return { ok: false, kind: 'missing-model', message: `Ollama has no model ${call.model} (${e.message}); run "ollama pull ${call.model}" on the Ollama machine` };
    return { ok: false, kind: 'server', message: `Ollama answered ${e.status_code ?? 'an error'} for model ${call.model}: ${e.message}` };
  }
  if (e instanceof TypeError && /fetch failed/i.test(e.message)) {
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    return { ok: false, kind: 'unreachable', message: `OLLAMA_HOST ${call.host} is unreachable (${why}); start Ollama there (OLLAMA_HOST=0.0.0.0 ollama serve) or set OLLAMA_HOST to http://<mac>:11434` };
  }
  // ollama-js throws plain Errors for a cut stream and for an {"error"} line in the middle of one.
  return { ok: false, kind: 'cut-off', message: `the answer from ${call.model} broke off: ${e.message}`, partial };
}

/** The models the server has (GET /api/tags), bounded by `timeoutMs` so a dead host costs at most that. */
export async function listModels({ host, timeoutMs, signal, fetch: base = fetch }: { host: string; timeoutMs: number; signal: AbortSignal; fetch?: Fetch }): Promise<{ ok: true; models: string[] } | { ok: false; message: string }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const client = new Ollama({ host, fetch: boundedFetch(base, AbortSignal.any([signal, timeout])) });
  try {
    const list = await client.list();
    return { ok: true, models: list.models.map((m) => m.name) };
  } catch (err) {
    if (signal.aborted) throw signal.reason ?? err;
    const res = classify(err, { host, model: '(list)', messages: [], format: {}, timeoutMs, keepAlive: '', numCtx: 0, signal }, '', timeout.aborted);
    const message = res.ok ? 'unexpected answer' : res.kind === 'timeout' ? `OLLAMA_HOST ${host} did not answer GET /api/tags within ${timeoutMs} ms (GANGLION_BRAIN_CONNECT_MS); is Ollama running and listening on the network (OLLAMA_HOST=0.0.0.0 on the Mac)?` : res.message;
    return { ok: false, message };
  }
}
