/** Starts and stops kube-sim's API server on loopback: plain HTTP, or HTTPS with a serving certificate. */
import { createServer, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ObjectStore } from '../store.js';
import type { PodLogSource } from '../pod-log-source.js';
import { createApiHandler } from './api-handler.js';
import { serveCustomResourceDefinitions } from '../crd/serve-definitions.js';
import type { ServingCert } from './serving-cert.js';

export interface KubeApiServerOptions {
  store: ObjectStore; logs?: PodLogSource; token?: string; port?: number; host?: string; now?: () => number;
  /** a DELETE of a running pod only marks it (deletionTimestamp) and the simulated kubelet finishes it */
  gracefulPodDeletion?: boolean;
  /** serve HTTPS with this key and certificate */
  tls?: ServingCert;
}
export interface KubeApiServer { url: string; port: number; close(): Promise<void> }

export async function startKubeApiServer({ store, logs, token, port = 0, host = '127.0.0.1', now = Date.now, gracefulPodDeletion = false, tls }: KubeApiServerOptions): Promise<KubeApiServer> {
  const streams = new Set<ServerResponse>();
  const stopDefinitions = serveCustomResourceDefinitions(store, { now: () => new Date(now()) });
  const handler = createApiHandler({ store, ...(logs ? { logs } : {}), now, streams, gracefulPodDeletion }, token ? { token } : {});
  const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, (req, res) => { void handler(req, res); }) : createServer((req, res) => { void handler(req, res); });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${address.port}`,
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      stopDefinitions();
      for (const res of streams) res.end();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
