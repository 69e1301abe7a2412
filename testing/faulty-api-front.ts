/**
 * A plain-HTTP front for a test API server that passes every request through, except the ones a test tells it to
 * refuse: an API server that fails part-way through a series of writes, on demand.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultyFront {
  url: string;
  /** Answers the next request that `matches` (method, path) with a 500 Status instead of passing it on. */
  failNext(matches: (method: string, path: string) => boolean): void;
  /** "PUT /api/v1/…" of every request refused so far. */
  refused: string[];
  close(): Promise<void>;
}

export async function startFaultyFront(target: string): Promise<FaultyFront> {
  const upstream = new URL(target);
  const pending: ((method: string, path: string) => boolean)[] = [];
  const refused: string[] = [];
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? url;
    const at = pending.findIndex((m) => m(method, path));
    if (at >= 0) {
      pending.splice(at, 1);
      refused.push(`${method} ${path}`);
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'injected failure (test)', reason: 'InternalError', code: 500 }));
      return;
    }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method, path: url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (err) => { res.destroy(err); });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failNext: (matches) => { pending.push(matches); },
    refused,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
