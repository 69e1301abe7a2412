/**
 * Entry point of one function process: `node dist/host/main.js <function-folder>` (or GANGLION_FUNCTION).
 * Loads the function by name and serves it on PORT (bound to GANGLION_BIND) through serveFunction; the gateway's
 * process mode spawns this, the production image runs the per-function bundle (templates/ganglion-ts/bundle.mjs) instead.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../kernel/config.js';
import { loadFunctionModule } from './load-function.js';
import { serveFunction } from './serve-function.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const config = loadConfig();
  const name = process.argv[2] || config.env.GANGLION_FUNCTION;
  if (!name) {
    process.stderr.write('usage: node dist/host/main.js <function-name-or-folder> (or set GANGLION_FUNCTION)\n');
    process.exit(2);
  }
  const folder = name.includes('/') ? path.resolve(name) : path.resolve(here, '..', 'functions', name);
  serveFunction(await loadFunctionModule(folder), config);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
