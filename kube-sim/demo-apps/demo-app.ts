/**
 * The demo applications' container process (placemyparents, frontend, docs-site …): a small HTTP app kube-sim runs
 * for images whose scenario entry says `serve:`. The version's behaviour comes from the environment kube-sim sets
 * (DEMO_APP_*): the main API route's status, added latency. It serves `/metrics` (Prometheus text), `/healthz`
 * and `/health` (liveness), `/readyz` (readiness); `POST /readyz/disable|enable` and `POST /healthz/disable` make a probe fail,
 * as podinfo's do. It listens on a free local port and tells kube-sim which over the IPC channel.
 */
import http from 'node:http';
import { createMetrics } from './demo-metrics.js';

const env = process.env;
const app = env.DEMO_APP_NAME || 'demo-app';
const version = env.DEMO_APP_VERSION || 'latest';
const pod = env.HOSTNAME || 'localhost';
const api = env.DEMO_APP_API || '/api';
const apiStatus = Number(env.DEMO_APP_API_STATUS || 200);
const latencyMs = Number(env.DEMO_APP_LATENCY_MS || 0);
const containerPort = env.DEMO_APP_CONTAINER_PORT || '8080';

const metrics = createMetrics({ app, version });
const probes = { ready: true, live: true };
const log = (fields: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', ...fields })}\n`);

type Reply = { status: number; body: string; type?: string };

function json(status: number, value: unknown): Reply {
  return { status, body: `${JSON.stringify(value)}\n`, type: 'application/json' };
}

async function answer(method: string, path: string): Promise<Reply> {
  // /health too: the path many apps (and probes written for them) use
  if (path === '/healthz' || path === '/health') return probes.live ? json(200, { status: 'ok' }) : json(503, { status: 'liveness disabled' });
  if (path === '/readyz') return probes.ready ? json(200, { status: 'ready' }) : json(503, { status: 'not ready' });
  if (method === 'POST' && (path === '/readyz/disable' || path === '/readyz/enable')) {
    probes.ready = path.endsWith('enable');
    return json(202, { ready: probes.ready });
  }
  if (method === 'POST' && path === '/healthz/disable') {
    probes.live = false;
    return json(202, { live: false });
  }
  if (path === '/' || path === api) {
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (path === '/') return json(200, { app, version, pod, pid: process.pid, api });
    if (apiStatus >= 500) return json(apiStatus, { error: `${app} ${version}: internal error on ${api}` });
    return json(apiStatus, { app, version, pod, items: [{ id: 1, name: 'Sunny Meadows' }, { id: 2, name: 'Oak House' }] });
  }
  return json(404, { error: `no route ${method} ${path}` });
}

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
    return;
  }
  req.resume();
  void answer(req.method ?? 'GET', path).then((reply) => {
    res.writeHead(reply.status, { 'content-type': reply.type ?? 'text/plain' }).end(reply.body);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = path === '/' || path === api || path.startsWith('/healthz') || path === '/health' || path.startsWith('/readyz') ? path : 'other';
    metrics.observe(req.method ?? 'GET', route, reply.status, seconds);
    log({ msg: `${req.method} ${path} ${reply.status} ${Math.round(seconds * 1000)}ms`, ua: req.headers['user-agent'] ?? '-' });
  });
});

server.listen(Number(env.PORT || 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  log({ msg: `${app} ${version} starting`, pid: process.pid, node: process.version });
  const settings = ['APP_ENV', 'LOG_LEVEL'].filter((k) => env[k]).map((k) => `${k}=${env[k]}`);
  if (settings.length) log({ msg: `settings: ${settings.join(', ')}` });
  if (env.DATABASE_HOST) log({ msg: `database ${env.DATABASE_HOST} configured; the demo app keeps its data in memory and does not connect to it` });
  log({ msg: `routes: / ${api} /healthz /health /readyz /metrics` });
  log({ msg: `listening on :${containerPort} (127.0.0.1:${port} on this machine)` });
  process.send?.({ listening: port });
});

// kube-sim is gone (stopped, or killed without cleaning up): a container without its node does not live on
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
