/**
 * GET an API path as plain JSON with the kubeconfig's credentials, TLS settings and proxy (client-node builds
 * the agent and headers). Lists skip client-node's model deserialisation, which costs more than the analysis
 * itself on 10,000 pods; the read tools take wire JSON anyway.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeClients } from './kube-access.js';

/** What an API failure looks like to explainKubeError: an HTTP code and the Status body as text. */
export class KubeHttpError extends Error {
  readonly code: number;
  readonly body: string;
  constructor(code: number, body: string, url: string) {
    super(`HTTP ${code} for GET ${url}`);
    this.name = 'KubeHttpError';
    this.code = code;
    this.body = body;
  }
}

export async function getJson<T>(c: KubeClients, path: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<T> {
  const url = new URL(c.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const opts: https.RequestOptions = {};
  await c.kc.applyToHTTPSOptions(opts);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<T>((resolve, reject) => {
    const req = transport.request(url, { ...opts, method: 'GET', headers: { ...opts.headers, accept: 'application/json' }, ...(signal ? { signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 400 || status === 0) return reject(new KubeHttpError(status, text, url.pathname));
        try {
          resolve(JSON.parse(text) as T);
        } catch (cause) {
          reject(new Error(`GET ${url.pathname} answered ${status} with a body that is not JSON`, { cause }));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
