/**
 * A pass-through proxy in front of Ollama that counts what a model did: each generation call and the prompt and
 * completion tokens Ollama itself reports on its final chunk (prompt_eval_count, eval_count). The planner is pointed
 * at it (OLLAMA_HOST), so the figures are what crossed the wire, not an estimate.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelUsage {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Calls whose answer carried no token counts (an error, a cut stream): counted as calls, their tokens unknown. */
  uncounted: number;
}

export interface OllamaMeter {
  url: string;
  usage(): ModelUsage;
  stop(): Promise<void>;
}

const GENERATION = new Set(['/api/chat', '/api/generate']);

/** A generation request that asks the model for text; Ollama's load/unload calls carry no messages or prompt. */
function asksForText(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { messages?: { content?: string }[]; prompt?: string };
    return (parsed.messages ?? []).some((m) => (m.content ?? '').length > 0) || (parsed.prompt ?? '').length > 0;
  } catch (err) {
    if (err instanceof SyntaxError) return false;
    throw err;
  }
}

/** The final chunk's counts from a response body (NDJSON when streamed, one JSON object when not). */
export function tokensOf(responseBody: string): { prompt: number; completion: number } | undefined {
  for (const line of responseBody.split('\n').reverse()) {
    if (!line.trim()) continue;
    try {
      const chunk = JSON.parse(line) as { done?: boolean; prompt_eval_count?: number; eval_count?: number };
      if (chunk.done && (typeof chunk.prompt_eval_count === 'number' || typeof chunk.eval_count === 'number')) {
        return { prompt: chunk.prompt_eval_count ?? 0, completion: chunk.eval_count ?? 0 };
      }
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  return undefined;
}

export async function startOllamaMeter({ upstream }: { upstream: string }): Promise<OllamaMeter> {
  const total: ModelUsage = { calls: 0, promptTokens: 0, completionTokens: 0, uncounted: 0 };
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const metered = GENERATION.has(new URL(req.url ?? '/', 'http://x').pathname) && asksForText(body.toString('utf8'));
      const headers = { ...req.headers, host: target.host };
      delete headers['content-length'];
      const out = http.request({ hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...headers, 'content-length': String(body.length) } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        const seen: Buffer[] = [];
        up.on('data', (c: Buffer) => {
          if (metered) seen.push(c);
          res.write(c);
        });
        up.on('end', () => {
          res.end();
          if (!metered) return;
          total.calls++;
          const t = tokensOf(Buffer.concat(seen).toString('utf8'));
          if (t) {
            total.promptTokens += t.prompt;
            total.completionTokens += t.completion;
          } else total.uncounted++;
        });
        up.on('error', () => res.destroy());
      });
      out.on('error', (err) => {
        if (metered) {
          total.calls++;
          total.uncounted++;
        }
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `the eval's Ollama meter could not reach ${upstream}: ${err.message}` }));
      });
      res.on('close', () => out.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    usage: () => ({ ...total }),
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
