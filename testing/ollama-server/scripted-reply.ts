/** What a scripted model answers, and how the test server turns it into Ollama's wire format (NDJSON or one JSON). */

/** One scripted answer to a /api/chat or /api/generate call. */
export type ScriptedReply =
  /** A normal answer: `content` (and optional tool calls), streamed in `chunks` pieces when the client streams. */
  | { kind?: 'answer'; content: string; toolCalls?: { name: string; arguments: Record<string, unknown> }[]; chunks?: number; delayMs?: number; doneReason?: 'stop' | 'length' }
  /** An HTTP error with Ollama's `{"error"}` JSON body, before anything is streamed. */
  | { kind: 'error'; status: number; error: string; delayMs?: number }
  /** Status 200, some content, then one `{"error"}` NDJSON line and the end of the stream. */
  | { kind: 'mid-stream-error'; content: string; error: string }
  /** Status 200, some content, then the connection ends without a `done:true` chunk. */
  | { kind: 'cut-off'; content: string }
  /** Headers only after `delayMs` (or never, while the client waits): a slow or stuck model. */
  | { kind: 'slow'; delayMs: number; content: string };

export interface RecordedCall {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  /** Characters of all message contents (chat) or of the prompt and system (generate). */
  promptChars: number;
  /** Model named in the body, if any. */
  model?: string;
}

/** The content a request carries, counted the way a prompt budget counts it. */
export function promptCharsOf(body: Record<string, unknown> | undefined): number {
  if (!body) return 0;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let n = 0;
  for (const m of messages) {
    if (m && typeof m === 'object' && 'content' in m && typeof m.content === 'string') n += m.content.length;
  }
  if (typeof body.prompt === 'string') n += body.prompt.length;
  if (typeof body.system === 'string') n += body.system.length;
  return n;
}

/** Ollama's final-chunk metrics, in nanoseconds, plausible for the text produced. */
export function metricsFor(promptChars: number, content: string, loaded: boolean): Record<string, number> {
  const promptTokens = Math.max(1, Math.ceil(promptChars / 4));
  const evalTokens = Math.max(1, Math.ceil(content.length / 4));
  const load = loaded ? 2_100_000 : 1_850_000_000;
  const promptEval = promptTokens * 350_000;
  const evalDuration = evalTokens * 45_000_000;
  return {
    total_duration: load + promptEval + evalDuration,
    load_duration: load,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: promptEval,
    eval_count: evalTokens,
    eval_duration: evalDuration,
  };
}

/** Splits text into `n` roughly equal pieces (at least one, never an empty middle piece). */
export function splitIntoChunks(text: string, n: number): string[] {
  if (text.length === 0) return [''];
  const count = Math.max(1, Math.min(n, text.length));
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** `call_` plus 8 lowercase alphanumerics, as Ollama's server names tool calls. */
export function toolCallId(seed: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  let x = seed * 2654435761 + 12345;
  for (let i = 0; i < 8; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    id += alphabet[x % alphabet.length];
  }
  return `call_${id}`;
}
