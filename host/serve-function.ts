/**
 * Serves one loaded function module over HTTP on PORT, the way of-watchdog's http mode expects its upstream to;
 * shared by `host/main.ts` (loads the function by name) and the per-function production bundle (imports it statically).
 */
import type { Server } from 'node:http';
import { loadConfig, type RuntimeConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { createFunctionApp } from './function-app.js';
import { createAppServer } from './http-host.js';
import { createBrowserGuard } from './browser-guard.js';
import type { FunctionModule } from '../function-kit/function-module.js';
import { createKubeAccess } from '../cluster/kube-access.js';

/** Starts the server; prints `listening <port>` on stdout once bound (the gateway reads it when PORT=0); SIGTERM/SIGINT close it. */
export function serveFunction(mod: FunctionModule, config: RuntimeConfig = loadConfig()): Server {
  const log = createLogger({ name: mod.meta.name, level: config.logLevel });
  const kube = createKubeAccess({ kubeconfig: config.kubeconfig, context: config.kubeContext });
  const app = createFunctionApp(mod, { config, log, kube });
  const bind = config.env.GANGLION_BIND || '127.0.0.1';
  // On OpenFaaS a function's pod can be reached directly, not only through the gateway: it guards itself too.
  const browserGuard = createBrowserGuard({ ...config.browser, ownHosts: [bind, config.gatewayUrl, config.env.HOSTNAME ?? ''].filter(Boolean) });
  const server = createAppServer(app, { maxBodyBytes: config.maxBodyBytes, browserGuard });
  server.listen(config.port, bind, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    process.stdout.write(`listening ${port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}
