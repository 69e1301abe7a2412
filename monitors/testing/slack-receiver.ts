/** A local stand-in for a Slack incoming webhook: checks each POST the way Slack does (JSON, text and/or valid blocks), answers "ok", records it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackPost {
  payload: { text?: string; blocks?: Array<Record<string, unknown>> };
  contentType: string;
}

export interface SlackReceiver {
  url: string;
  posts: SlackPost[];
  /** Problems with payloads it refused (400 invalid_payload), for tests to assert empty. */
  refused: string[];
  /** Answer the next n posts with this status (e.g. 500) before accepting again. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

const BLOCK_TYPES = new Set(['header', 'section', 'context', 'divider', 'actions', 'image', 'rich_text', 'input', 'file', 'video']);

/** What is wrong with a payload by Slack's rules, or undefined when it is acceptable. */
export function slackPayloadProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'payload is not a JSON object';
  const p = body as Record<string, unknown>;
  if (p.text !== undefined && typeof p.text !== 'string') return 'text must be a string';
  if (p.blocks !== undefined && !Array.isArray(p.blocks)) return 'blocks must be an array';
  const blocks = (p.blocks as unknown[] | undefined) ?? [];
  if (typeof p.text !== 'string' && blocks.length === 0) return 'no text or blocks';
  if (blocks.length > 50) return 'more than 50 blocks';
  for (const [i, b] of blocks.entries()) {
    if (!b || typeof b !== 'object') return `block ${i} is not an object`;
    const block = b as Record<string, unknown>;
    if (typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) return `block ${i} has unknown type ${String(block.type)}`;
    const text = block.text as Record<string, unknown> | undefined;
    if (block.type === 'header' && (text?.type !== 'plain_text' || typeof text.text !== 'string' || text.text.length > 150)) return `header block ${i} needs plain_text of at most 150 chars`;
    if (block.type === 'section' && (!text || (text.type !== 'mrkdwn' && text.type !== 'plain_text') || typeof text.text !== 'string' || text.text.length > 3000 || text.text.length === 0)) return `section block ${i} needs text of 1..3000 chars`;
    if (block.type === 'context' && (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10)) return `context block ${i} needs 1..10 elements`;
  }
  return undefined;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const posts: SlackPost[] = [];
  const refused: string[] = [];
  let failing = 0;
  let failStatus = 500;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, text: string) => { res.writeHead(status, { 'content-type': 'text/plain' }); res.end(text); };
      if (failing > 0) {
        failing--;
        answer(failStatus, 'server_error');
        return;
      }
      const contentType = String(req.headers['content-type'] ?? '');
      if (req.method !== 'POST' || !contentType.startsWith('application/json')) {
        refused.push(`${req.method} with content-type ${contentType}`);
        answer(400, 'invalid_payload');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        refused.push(`not JSON: ${(err as Error).message}`);
        answer(400, 'invalid_payload');
        return;
      }
      const problem = slackPayloadProblem(body);
      if (problem) {
        refused.push(problem);
        answer(400, 'invalid_blocks');
        return;
      }
      posts.push({ payload: body as SlackPost['payload'], contentType });
      answer(200, 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`,
    posts,
    refused,
    failNext(n, status) { failing = n; failStatus = status; },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
