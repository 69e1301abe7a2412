/** Header rules of a reverse proxy as the OpenFaaS gateway applies them: hop-by-hop headers stay behind. */
import type http from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const NONE: string[] = [];

/** Copies headers minus hop-by-hop ones (and any the Connection header names), host and content-length. */
export function endToEndHeaders(headers: http.IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  // Most requests name nothing in Connection (keep-alive is the HTTP/1.1 default): skip the split then.
  const connection = headers.connection;
  const named = connection ? String(connection).toLowerCase().split(',').map((s) => s.trim()).filter(Boolean) : NONE;
  const out: Record<string, string | string[]> = {};
  for (const key in headers) {
    const value = headers[key];
    const k = key.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(k) || k === 'host' || k === 'content-length' || (named.length > 0 && named.includes(k))) continue;
    out[k] = value;
  }
  return out;
}

/** One string per header (a response's Set-Cookie lines are joined, which callers of functions do not rely on). */
export function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(endToEndHeaders(headers))) out[k] = Array.isArray(v) ? v.join(', ') : v;
  // The length of a response passed through unchanged still holds, and spares the client chunked decoding.
  if (headers['content-length'] !== undefined && headers['transfer-encoding'] === undefined) out['content-length'] = String(headers['content-length']);
  return out;
}
