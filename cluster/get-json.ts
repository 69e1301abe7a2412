/**
 * GET an API path as plain JSON (or text) with the kubeconfig's credentials, TLS settings and proxy (client-node
 * builds the agent and headers). Lists skip client-node's model deserialisation, which costs more than the analysis
 * itself on 10,000 pods; the read tools take wire JSON anyway, and a function that only reads never loads the
 * generated API code.
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

/**
 * One agent per cluster's clients. client-node builds a new agent on every applyToHTTPSOptions, so each GET would
 * start with a full TLS handshake (client certificates included); one agent per clients resumes its TLS sessions.
 * The headers (tokens an exec or OIDC provider refreshes) are still applied to every request.
 */
const agents = new WeakMap<KubeClients['kc'], http.Agent>();

/** GET an API path and answer its body as text (a pod log is text/plain); a status ≥ 400 rejects with KubeHttpError. */
export async function getText(c: KubeClients, path: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal, accept = '*/*'): Promise<string> {
  const url = new URL(c.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const opts: https.RequestOptions = {};
  await c.kc.applyToHTTPSOptions(opts);
  const agent = agents.get(c.kc) ?? (opts.agent instanceof http.Agent ? opts.agent : undefined);
  if (agent) {
    agents.set(c.kc, agent);
    opts.agent = agent;
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<string>((resolve, reject) => {
    const req = transport.request(url, { ...opts, method: 'GET', headers: { ...opts.headers, accept }, ...(signal ? { signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 400 || status === 0) reject(new KubeHttpError(status, text, url.pathname));
        else resolve(text);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function getJson<T>(c: KubeClients, path: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<T> {
  const text = await getText(c, path, query, signal, 'application/json');
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new Error(`GET ${path} answered with a body that is not JSON`, { cause });
  }
}
