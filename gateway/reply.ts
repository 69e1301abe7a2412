/** Small builders for the gateway's own answers (plain text as OpenFaaS answers errors, JSON for the API). */
import type { FnResponse } from '../function-kit/function-module.js';

export function textReply(status: number, text: string, headers: Record<string, string> = {}): FnResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: text.endsWith('\n') ? text : `${text}\n` };
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): FnResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): FnResponse {
  return { status, headers, body: '' };
}

/** Parses a JSON request body or answers why not. */
export function parseJsonBody(body: Buffer): { ok: true; value: unknown } | { ok: false; reply: FnResponse } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8') || 'null') };
  } catch (err) {
    return { ok: false, reply: textReply(400, `request body is not valid JSON: ${(err as Error).message}`) };
  }
}
