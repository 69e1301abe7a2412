/** Shared mode: every function app runs inside the gateway process, called without an HTTP hop. */
import { loadConfig } from '../kernel/config.js';
import { createFunctionApp, type FunctionApp } from '../host/function-app.js';
import { loadFunctionModule } from '../host/load-function.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { GanglionError } from '../kernel/errors.js';
import type { FnResponse } from '../function-kit/function-module.js';
import { type FunctionBackend, type UpstreamRequest } from './function-backend.js';
import type { DeployedFunction } from './function-table.js';

export interface SharedBackendOptions {
  /** Environment every function sees (process env + gateway env + KUBECONFIG, GANGLION_HOME). */
  baseEnv: Record<string, string | undefined>;
}

export function createSharedBackend({ baseEnv }: SharedBackendOptions): FunctionBackend {
  const apps = new Map<string, FunctionApp>();
  const failed = new Map<string, string>();
  /** Starts under way (loading a module takes a while): calls wait for them rather than meet "not started". */
  const pending = new Map<string, Promise<void>>();

  async function load(fn: DeployedFunction): Promise<void> {
    try {
      const config = loadConfig({ ...baseEnv, ...fn.envVars });
      const mod = await loadFunctionModule(fn.folder);
      const log = createLogger({ name: fn.name, level: config.logLevel });
      const kube = createKubeAccess({ kubeconfig: config.kubeconfig, context: config.kubeContext });
      apps.set(fn.name, createFunctionApp(mod, { config, log, kube }));
      failed.delete(fn.name);
    } catch (err) {
      apps.delete(fn.name);
      failed.set(fn.name, (err as Error).message);
    }
  }

  return {
    mode: 'shared',
    // Registered before its first await, so a call that comes while the module loads finds the start and waits.
    start(fn: DeployedFunction) {
      const started = load(fn).finally(() => { if (pending.get(fn.name) === started) pending.delete(fn.name); });
      pending.set(fn.name, started);
      return started;
    },
    starting: (name) => pending.get(name),
    async stop(name) {
      pending.delete(name);
      apps.delete(name);
      failed.delete(name);
    },
    // Not async: the one promise below is the whole call (a rejected promise stands in for a throw).
    invoke(name, req: UpstreamRequest, signal) {
      const app = apps.get(name);
      if (!app) {
        return Promise.reject(new GanglionError(502, 'function_unavailable', `function ${name} could not be loaded: ${failed.get(name) ?? 'not started'}; fix it and redeploy`));
      }
      const query = new URLSearchParams(req.query);
      // One promise settled by whichever comes first, the app or the signal (no Promise.race of two new promises).
      return new Promise<FnResponse>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort); // no options object: reject is idempotent, and the listener goes on settle
        app({ method: req.method, path: req.path, query, headers: req.headers, body: req.body, signal }).then(
          (out) => { signal.removeEventListener('abort', onAbort); resolve(out); },
          (err: unknown) => { signal.removeEventListener('abort', onAbort); reject(err); },
        );
      });
    },
    available: (name) => (apps.has(name) ? 1 : 0),
    pids: () => Object.fromEntries([...apps.keys()].map((n) => [n, process.pid])),
    async stopAll() {
      apps.clear();
    },
  };
}
