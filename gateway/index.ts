/** Starts the embedded OpenFaaS-compatible gateway: every stack.yml function, in shared, process or isolated mode. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type GatewayMode } from '../kernel/config.js';
import { loadStack } from '../stack/stack-file.js';
import { ADMIN_USER, resolvePassword } from './basic-auth.js';
import type { FunctionBackend } from './function-backend.js';
import { createFunctionInvoker, type FunctionInvoker } from './function-invoker.js';
import { functionsFromStack, NAMESPACE, type DeployedFunction } from './function-table.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { createGatewayServer } from './gateway-server.js';
import { createProcessBackend } from './process-backend.js';
import { createSharedBackend } from './shared-backend.js';
import { createSystemRoutes } from './system-routes.js';
import { textReply } from './reply.js';
import { openAsyncQueue } from './async-queue.js';
import { createAsyncRoutes } from './async-routes.js';
import { startAsyncWorker } from './async-dispatch.js';
import { createLogger } from '../kernel/logger.js';
import { createCronScheduler, type Schedule } from '../scheduler/cron-scheduler.js';
import { createScheduleStore } from '../scheduler/schedule-store.js';
import { openSecretStore } from './secret-store.js';
import { createSecretRoutes } from './secret-routes.js';
import { installAdminToken, installInvokeToken, installSecrets } from './install-secrets.js';
import { applyInvokeTokenSecret } from '../cluster/invoke-cronjob.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { createIsolatedEnv } from './isolated-env.js';
import { createBrowserGuard } from '../host/browser-guard.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface GatewayOptions {
  stackFile?: string;
  mode?: GatewayMode;
  /** GANGLION_HOME: basic-auth-password, queue/, schedules, secrets/ (and functions/<name>/ in isolated mode). */
  home: string;
  port?: number;
  host?: string;
  /** Extra environment for the gateway's settings and every function (wins over process.env; in isolated mode the only part of the gateway's environment a function gets, secrets left out). */
  env?: Record<string, string>;
  /** The compiled tree (default: the dist/ this file is in). */
  distRoot?: string;
  password?: string;
  maxBodyBytes?: number;
  /** Run the built-in cron for stack.yml cron-connector annotations (default true); tests drive `tickSchedules` with their own clock instead. */
  cron?: boolean;
  /** Clock of the scheduler. */
  now?: () => Date;
}

export interface Gateway {
  url: string;
  password: string;
  /** The embedded stack's admin API token ($GANGLION_HOME/admin-token), for the local CLI and tests. */
  adminToken: string;
  mode: GatewayMode;
  /** The functions served, by name. */
  functions(): string[];
  /** Process id serving each function (the gateway's own in shared mode). */
  pids(): Record<string, number>;
  /** Invokes a function in-process exactly as /function/NAME would. */
  invoke: FunctionInvoker;
  /** Fires the stack.yml cron schedules due in the scheduler clock's current minute; returns their ids. */
  tickSchedules(): Promise<string[]>;
  stop(): Promise<void>;
}

function packageVersion(distRoot: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(distRoot, '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0'; // running from a copied dist/ without package.json
  }
}

export async function startGateway({
  stackFile = 'stack.yml', mode = 'shared', home, port = 8080, host = '127.0.0.1', env = {},
  distRoot = path.resolve(here, '..'), password, maxBodyBytes, cron = true, now,
}: GatewayOptions): Promise<Gateway> {
  const baseEnv: Record<string, string | undefined> = { ...process.env, ...env, GANGLION_HOME: home };
  const config = loadConfig(baseEnv);
  const stack = loadStack(stackFile, baseEnv);
  const table = new Map<string, DeployedFunction>(functionsFromStack(stack, distRoot).map((fn) => [fn.name, fn]));
  const version = packageVersion(distRoot);
  const secret = resolvePassword(home, password ?? config.gateway.password);
  // What `faas-cli secret create` would have made; functions of every mode read their secrets from files.
  const secrets = openSecretStore(path.join(home, 'secrets'));
  installSecrets(secrets, { user: ADMIN_USER, password: secret, env: baseEnv });
  const adminToken = installAdminToken(secrets, home);
  const invokeToken = installInvokeToken(secrets, home);
  baseEnv.GANGLION_SECRETS_DIR = secrets.dir;

  const isolated = mode === 'isolated' ? createIsolatedEnv({ home, store: secrets, gatewayEnv: baseEnv, extraEnv: env }) : undefined;
  const backend: FunctionBackend = isolated
    ? createProcessBackend({ baseEnv, distRoot, envFor: isolated.envFor, mode: 'isolated' })
    : mode === 'process' ? createProcessBackend({ baseEnv, distRoot }) : createSharedBackend({ baseEnv });
  const metrics = createGatewayMetrics(() => Object.fromEntries([...table.keys()].map((n) => [`${n}.${NAMESPACE}`, backend.available(n)])));
  const servedBy = `ganglion-gateway/${version}`;
  const invoke = createFunctionInvoker({ table, backend, metrics, servedBy });
  const system = createSystemRoutes({ table, backend, metrics, distRoot, version });
  const log = createLogger({ name: 'gateway', level: config.logLevel });
  // What the CronJobs automate creates send (cluster/invoke-cronjob.ts): copied into the workers namespace in the
  // background; a cluster not reachable yet costs only those calls (401), named in the log.
  const invokeSecret = createKubeAccess({ kubeconfig: config.kubeconfig, context: config.kubeContext }).clients()
    .then((c) => applyInvokeTokenSecret(c, config.workers.namespace, invokeToken))
    .catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, `could not write the Secret ganglion-invoke-token in namespace ${config.workers.namespace}; scheduled checks will be refused until it exists`));
  const queue = await openAsyncQueue(path.join(home, 'queue'), { maxPending: config.gateway.asyncMaxPending, maxBytes: config.gateway.asyncMaxBytes });
  const asyncRoutes = createAsyncRoutes({ queue, table, callbackAllow: config.gateway.callbackAllow, servedBy });
  // Exactly what cron-connector sends: POST /function/NAME.openfaas-fn, empty body, X-Topic and X-Connector.
  const fireSchedule = async (s: Schedule) => {
    const headers: Record<string, string> = { 'x-topic': 'cron-function', 'x-connector': 'cron-connector' };
    const rawName = `${s.function}.${NAMESPACE}`;
    if (config.gateway.cronAsync) {
      const id = randomUUID();
      await queue.enqueue({ id, fn: rawName, path: '/', query: '', headers, body: '', enqueuedAt: new Date().toISOString(), attempts: 0 });
      return log.info({ schedule: s.id, function: s.function, callId: id }, 'scheduled invocation queued');
    }
    const res = await invoke({ rawName, method: 'POST', path: '/', query: '', headers, body: Buffer.alloc(0) });
    log.info({ schedule: s.id, function: s.function, status: res.status }, 'scheduled invocation');
  };
  const scheduler = createCronScheduler({ store: createScheduleStore(home), fire: fireSchedule, log, ...(now ? { now } : {}) });
  scheduler.setStackSchedules([...table.values()].map((fn) => ({ function: fn.name, annotations: fn.annotations })));
  // /healthz is 503 until every function's first start has settled (calls meanwhile wait for their function).
  let startedAll = false;
  const health = () => {
    if (startedAll) return textReply(200, 'OK');
    const waiting = [...table.keys()].filter((n) => backend.available(n) === 0);
    return textReply(503, `starting: ${table.size - waiting.length} of ${table.size} functions serve; waiting for ${waiting.join(', ')}`, { 'retry-after': '1' });
  };
  const server = createGatewayServer({
    invoke, health,
    system: [asyncRoutes.system, createSecretRoutes({ store: secrets, changed: (name) => isolated?.secretChanged(name, table.values()) }), system],
    asyncInvoke: asyncRoutes.submit, metrics, password: secret, maxBodyBytes: maxBodyBytes ?? config.maxBodyBytes,
    browserGuard: createBrowserGuard({ ...config.browser, ownHosts: [host, config.env.OPENFAAS_URL ?? ''].filter(Boolean) }),
    limits: config.gateway,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  // Functions that call others (the planner) go through this gateway unless told otherwise.
  if (!env.OPENFAAS_URL) baseEnv.OPENFAAS_URL = url;
  // Started in the same turn as listen's callback, before any request is read: a call always finds its start.
  await Promise.all([...table.values()].map((fn) => backend.start(fn)));
  startedAll = true;
  const worker = startAsyncWorker({
    queue, invoke, log, concurrency: config.gateway.asyncConcurrency, maxAttempts: config.gateway.asyncMaxAttempts,
    retryMs: config.gateway.asyncRetryMs, callbackAllow: config.gateway.callbackAllow, userAgent: `${servedBy} (async)`,
  });
  if (cron) scheduler.start();

  return {
    url,
    password: secret,
    adminToken,
    mode,
    functions: () => [...table.keys()],
    pids: () => backend.pids(),
    invoke,
    tickSchedules: () => scheduler.tick(),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      scheduler.stop();
      await worker.stop();
      await invokeSecret;
      await queue.close();
      await backend.stopAll();
    },
  };
}
