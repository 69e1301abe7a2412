/**
 * Entry point of one function process: `node dist/runtime/main.js <function-folder>` (or GANGLION_FUNCTION).
 * Serves the function on PORT the way of-watchdog's http mode expects its upstream to.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { loadFunctionModule } from './load-function.js';
import { createFunctionApp } from './function-app.js';
import { createAppServer } from './http-host.js';
import { createKubeAccess } from '../cluster/kube-access.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const config = loadConfig();
  const name = process.argv[2] || process.env.GANGLION_FUNCTION;
  if (!name) {
    process.stderr.write('usage: node dist/runtime/main.js <function-name-or-folder> (or set GANGLION_FUNCTION)\n');
    process.exit(2);
  }
  const folder = name.includes('/') ? path.resolve(name) : path.resolve(here, '..', 'functions', name);
  const mod = await loadFunctionModule(folder);
  const log = createLogger({ name: mod.meta.name, level: config.logLevel });
  const kube = createKubeAccess({ kubeconfig: config.kubeconfig, context: config.kubeContext });
  const app = createFunctionApp(mod, { config, log, kube });
  const server = createAppServer(app, { maxBodyBytes: config.maxBodyBytes });
  server.listen(config.port, process.env.GANGLION_BIND || '127.0.0.1', () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    // The gateway waits for this line to learn the port when PORT=0.
    process.stdout.write(`listening ${port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
