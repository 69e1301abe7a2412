/**
 * GET an API path as plain JSON (or text) with the kubeconfig's credentials, TLS settings and proxy (client-node
 * builds the agent and headers). Lists skip client-node's model deserialisation, which costs more than the analysis
 * itself on 10,000 pods; the read tools take wire JSON anyway, and a function that only reads never loads the
 * generated API code.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { KubeClients } from './kube-access.js';

/** What an API failure looks like to explainKubeError: an HTTP code and the Status body as text. */
export class KubeHttpError extends Error {
  readonly code: number;
  readonly body: string;
  constructor(code: number, body: string, url: string, method = 'GET') {
    super(`HTTP ${code} for ${method} ${url}`);
    this.name = 'KubeHttpError';
    this.code = code;
    this.body = body;
  }
}

/**
 * One agent and one TLS context per cluster's clients while its credentials stay the same. client-node builds a new
 * agent on every applyToHTTPSOptions, and tls.connect parses the CA, client certificate and key into a new OpenSSL
 * context for every connection: each GET (each page of a pod list) would start a full handshake from scratch. Kept,
 * the agent reuses its connections and resumes its TLS sessions. The credentials client-node reads (from the
 * kubeconfig or the files it names) are compared on every request: when they change (a rotated certificate), a new
 * agent and context take over, so no session verified under the old ones is resumed. The headers (tokens an exec or
 * OIDC provider refreshes) are applied to every request.
 * Measured over TLS (npm run bench -- production): RSS after 21 answers 58 MB kept, 66 MB rebuilt per request.
 */
interface Transport { material: unknown[]; agent?: http.Agent; context?: tls.SecureContext }
const transports = new WeakMap<KubeClients['kc'], Transport>();
const CONTEXT_OPTIONS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'ciphers', 'crl', 'ecdhCurve', 'secureProtocol', 'secureOptions', 'sessionIdContext'] as const;
const TLS_MATERIAL = [...CONTEXT_OPTIONS, 'rejectUnauthorized', 'servername'] as const;

/**
 * client-node's plain agents close each connection after its request: a function's every answer would open (and on a
 * real cluster handshake) one connection per list. The kept agent keeps them open for the next requests (node unrefs
 * idle sockets, so they never hold a process up; the API server closes them when it likes). Proxy agents are kept
 * as they are.
 */
function keepAlive(agent: http.Agent): http.Agent {
  const options = (agent as http.Agent & { options?: http.AgentOptions }).options ?? {};
  if (agent.constructor === https.Agent) return new https.Agent({ ...options, keepAlive: true });
  if (agent.constructor === http.Agent) return new http.Agent({ ...options, keepAlive: true });
  return agent;
}

function transportFor(kc: KubeClients['kc'], opts: https.RequestOptions, tlsWanted: boolean): Transport {
  const material = TLS_MATERIAL.map((k) => opts[k]);
  const same = (a: unknown, b: unknown) => a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : JSON.stringify(a) === JSON.stringify(b));
  const hit = transports.get(kc);
  if (hit && (hit.context !== undefined) === tlsWanted && hit.material.every((m, i) => same(m, material[i]))) return hit;
  const contextOptions = Object.fromEntries(CONTEXT_OPTIONS.filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]])) as tls.SecureContextOptions;
  const made: Transport = {
    material,
    ...(opts.agent instanceof http.Agent ? { agent: keepAlive(opts.agent) } : {}),
    ...(tlsWanted ? { context: tls.createSecureContext(contextOptions) } : {}),
  };
  transports.set(kc, made);
  return made;
}

/** GET an API path and answer its body as text (a pod log is text/plain); a status ≥ 400 rejects with KubeHttpError. */
export function getText(c: KubeClients, path: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal, accept = '*/*'): Promise<string> {
  return requestText(c, 'GET', path, { query, ...(signal ? { signal } : {}), accept });
}

export interface KubeRequest {
  query?: Record<string, string | undefined>;
  /** A JSON body (POST, PUT, PATCH). */
  body?: unknown;
  /** Content type of the body; default application/json (a merge patch sends application/merge-patch+json). */
  contentType?: string;
  signal?: AbortSignal;
  accept?: string;
}

/** Any verb on an API path with the kubeconfig's credentials; answers the body as text, a status ≥ 400 rejects with KubeHttpError. */
export async function requestText(c: KubeClients, method: string, path: string, { query = {}, body, contentType = 'application/json', signal, accept = 'application/json' }: KubeRequest = {}): Promise<string> {
  const url = new URL(c.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const opts: https.RequestOptions & { secureContext?: tls.SecureContext } = {};
  await c.kc.applyToHTTPSOptions(opts);
  const transport = transportFor(c.kc, opts, url.protocol === 'https:');
  if (transport.agent) opts.agent = transport.agent;
  if (transport.context) opts.secureContext = transport.context;
  const client = url.protocol === 'https:' ? https : http;
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers = { ...opts.headers, accept, ...(payload ? { 'content-type': contentType, 'content-length': String(payload.length) } : {}) };
  const send = (retry: boolean) => new Promise<string>((resolve, reject) => {
    let answered = false;
    const req = client.request(url, { ...opts, method, headers, ...(signal ? { signal } : {}) }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 400 || status === 0) reject(new KubeHttpError(status, text, url.pathname, method));
        else resolve(text);
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // a kept-alive connection the server closed meanwhile (it restarted, or its idle timeout ran out): an idempotent
      // request (GET, PUT with its resourceVersion, DELETE) is safe to send again, once, on a fresh connection
      if (retry && method !== 'POST' && method !== 'PATCH' && !answered && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) resolve(send(false));
      else reject(err);
    });
    req.end(payload);
  });
  return send(true);
}

export async function getJson<T>(c: KubeClients, path: string, query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<T> {
  const text = await getText(c, path, query, signal, 'application/json');
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw new Error(`GET ${path} answered with a body that is not JSON`, { cause });
  }
}
