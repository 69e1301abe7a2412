/** Writing API responses: JSON with a Content-Type always, and errors as v1 Status objects. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeStatusError } from '../kube-status-error.js';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendJsonText(res, code, JSON.stringify(body));
}

/** Sends already-serialised JSON, as text or as its UTF-8 bytes. */
export function sendJsonText(res: ServerResponse, code: number, json: string | Buffer): void {
  const text = typeof json === 'string' ? Buffer.from(json) : json;
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': text.length, 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** Any error as a Status: KubeStatusErrors keep their code and reason, others become a 500 that leaks nothing. */
export function toStatusError(err: unknown): KubeStatusError {
  if (err instanceof KubeStatusError) return err;
  return new KubeStatusError(500, 'InternalError', 'Internal error occurred: kube-sim failed to handle the request; see its log');
}

export function sendError(res: ServerResponse, err: unknown): void {
  const status = toStatusError(err);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, status.code, status.toStatus());
}

/** Reads a request body up to a limit (413 past it). */
export async function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<string> {
  return (await readBodyBytes(req, limit)).toString('utf8');
}

export async function readBodyBytes(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new KubeStatusError(413, 'RequestEntityTooLarge', `the request body is larger than ${limit} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON request body into an object; 400 with the parser's message otherwise. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new KubeStatusError(400, 'BadRequest', `the object provided is unrecognized: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new KubeStatusError(400, 'BadRequest', 'the object provided is unrecognized: expected a JSON object');
  }
  return value as Record<string, unknown>;
}
