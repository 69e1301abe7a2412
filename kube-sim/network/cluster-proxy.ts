/**
 * kube-sim's kube-proxy: an HTTP forward proxy on 127.0.0.1 that reaches Services by cluster DNS name
 * (`http://<svc>.<ns>.svc.cluster.local[:port]/path`) or cluster IP, and pods by IP. A Service's requests go
 * round-robin over its ready endpoints, read from its Endpoints object, to the processes serving them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject, ObjectStore } from '../store.js';
import type { PodNetwork } from './pod-network.js';

export interface ClusterProxy { url: string; close(): Promise<void> }
interface ServicePort { name?: string; port: number }
interface Subset { addresses?: { ip: string; targetRef?: { name?: string } }[]; ports?: { name?: string; port: number }[] }
type Target = { ok: true; localPort: number } | { ok: false; status: number; message: string };

const CLUSTER_NAME = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?\.?$/;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

export function startClusterProxy({ store, network, host = '127.0.0.1', port = 0 }: { store: ObjectStore; network: PodNetwork; host?: string; port?: number }): Promise<ClusterProxy> {
  const turns = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 4 });

  function viaService(svc: KubeObject, port: number): Target {
    const ns = svc.metadata.namespace ?? 'default';
    const id = `${ns}/${svc.metadata.name}`;
    const ports = ((svc.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []);
    const sp = ports.find((p) => p.port === port);
    if (!sp) return { ok: false, status: 502, message: `service ${id} has no port ${port} (it has ${ports.map((p) => p.port).join(', ') || 'none'})` };
    const subsets = ((store.peek('endpoints', ns, svc.metadata.name) as { subsets?: Subset[] } | undefined)?.subsets ?? []);
    const candidates: { ip: string; port: number }[] = [];
    for (const s of subsets) {
      const ep = (s.ports ?? []).find((p) => p.name === sp.name) ?? (s.ports?.length === 1 ? s.ports[0] : undefined);
      if (ep) for (const a of s.addresses ?? []) candidates.push({ ip: a.ip, port: ep.port });
    }
    if (candidates.length === 0) return { ok: false, status: 503, message: `service ${id} has no ready endpoints` };
    const serving = candidates.filter((c) => network.resolve(c.ip, c.port) !== undefined);
    if (serving.length === 0) return { ok: false, status: 503, message: `the ready endpoints of service ${id} are simulated pods: their image does not run as a process here, so nothing answers` };
    const turn = turns.get(id) ?? 0;
    turns.set(id, turn + 1);
    const pick = serving[turn % serving.length];
    return { ok: true, localPort: network.resolve(pick.ip, pick.port) ?? 0 };
  }

  function route(hostname: string, port: number): Target {
    const byName = CLUSTER_NAME.exec(hostname);
    if (byName) {
      const svc = store.peek('services', byName[2], byName[1]);
      return svc ? viaService(svc, port) : { ok: false, status: 502, message: `no service ${byName[1]} in namespace ${byName[2]} (${hostname} does not resolve)` };
    }
    if (IPV4.test(hostname)) {
      const svc = store.listShared('services').items.find((s) => (s.spec as { clusterIP?: string } | undefined)?.clusterIP === hostname);
      if (svc) return viaService(svc, port);
      const localPort = network.resolve(hostname, port);
      return localPort !== undefined ? { ok: true, localPort } : { ok: false, status: 502, message: `nothing listens on ${hostname}:${port} in the cluster (connection refused)` };
    }
    return { ok: false, status: 502, message: `${hostname} is not a cluster address; this proxy reaches <service>.<namespace>.svc.cluster.local, cluster IPs and pod IPs` };
  }

  const server = http.createServer((req, res) => {
    const fail = (status: number, message: string) => {
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`kube-sim cluster proxy: ${message}\n`);
    };
    let target: URL;
    try {
      target = new URL(req.url?.startsWith('/') ? `http://${req.headers.host ?? ''}${req.url}` : (req.url ?? ''));
    } catch {
      fail(400, `cannot read the request target "${req.url}"; send http://<service>.<namespace>.svc.cluster.local/path`);
      return;
    }
    if (target.protocol !== 'http:') {
      fail(400, `only http:// is proxied, not ${target.protocol}`);
      return;
    }
    const to = route(target.hostname, Number(target.port || 80));
    if (!to.ok) {
      fail(to.status, to.message);
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: to.localPort, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => { if (!res.headersSent) fail(502, `${target.host}: ${err.message}`); else res.destroy(); });
    req.pipe(upstream);
  });
  server.on('connect', (_req, socket) => { socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\nkube-sim cluster proxy: CONNECT (https) is not proxied; use http://\n'); });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}`,
        close: () => new Promise<void>((done) => {
          agent.destroy();
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
