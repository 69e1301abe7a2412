/**
 * Process mode: each function is its own `node dist/host/main.js <folder>` child on an ephemeral port,
 * restarted with backoff when it dies (calls meanwhile wait for it, bounded), reached over keep-alive HTTP.
 * Isolated mode is the same with each child's environment (own HOME, secrets) made by `envFor`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GanglionError } from '../kernel/errors.js';
import type { FnResponse } from '../function-kit/function-module.js';
import type { FunctionBackend, UpstreamRequest } from './function-backend.js';
import type { DeployedFunction } from './function-table.js';
import { flattenHeaders } from './forwarded-headers.js';

export interface ProcessBackendOptions {
  baseEnv: Record<string, string | undefined>;
  /** The environment of a function's process (default: baseEnv and the function's stack.yml environment); read at each (re)start. */
  envFor?: (fn: DeployedFunction) => Record<string, string | undefined>;
  mode?: 'process' | 'isolated';
  /** The compiled tree holding host/main.js and gateway/parent-watch.js. */
  distRoot: string;
  /** How long a child may take to print `listening <port>`. */
  startTimeoutMs?: number;
  /** First restart delay; doubles per failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const BUFFER_LIMIT = 1024 * 1024;

interface Instance {
  fn: DeployedFunction;
  child?: ChildProcess;
  port?: number;
  upSince: number;
  failures: number;
  stopping: boolean;
  lastExit: string;
  restartTimer?: NodeJS.Timeout;
  /** The (re)start under way, if any: calls wait for it rather than meet a process that is not listening yet. */
  pending?: Promise<void>;
  /** Ends the wait for a restart that stop() called off. */
  cancelRestart?: () => void;
}

/** Marks `started` as the instance's start under way until it settles. */
function track(inst: Instance, started: Promise<void>): Promise<void> {
  inst.pending = started;
  void started.then(() => { if (inst.pending === started) inst.pending = undefined; });
  return started;
}

export function createProcessBackend({
  baseEnv, distRoot, envFor = (fn) => ({ ...baseEnv, ...fn.envVars }), mode = 'process', startTimeoutMs = 30_000, backoffMs = 100, maxBackoffMs = 10_000,
}: ProcessBackendOptions): FunctionBackend {
  const instances = new Map<string, Instance>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });
  const runtimeMain = path.join(distRoot, 'host', 'main.js');
  const parentWatch = pathToFileURL(path.join(distRoot, 'gateway', 'parent-watch.js')).href;

  function launch(inst: Instance): Promise<void> {
    return new Promise((resolve) => {
      const env = { ...envFor(inst.fn), PORT: '0', GANGLION_FUNCTION: inst.fn.name };
      const child = spawn(process.execPath, ['--import', parentWatch, runtimeMain, inst.fn.folder], { env, stdio: ['pipe', 'pipe', 'inherit'] });
      inst.child = child;
      inst.port = undefined;
      let out = '';
      const startTimer = setTimeout(() => {
        inst.lastExit = `did not print "listening <port>" within ${startTimeoutMs} ms`;
        child.kill('SIGKILL');
      }, startTimeoutMs);
      startTimer.unref();
      child.stdout?.on('data', (chunk: Buffer) => {
        if (inst.port !== undefined) return;
        out += chunk.toString('utf8');
        const m = /listening (\d+)/.exec(out);
        if (!m) return;
        clearTimeout(startTimer);
        inst.port = Number(m[1]);
        inst.upSince = Date.now();
        resolve();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(startTimer);
        if (inst.child === child) {
          inst.child = undefined;
          inst.port = undefined;
        }
        inst.lastExit = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve();
        if (inst.stopping || instances.get(inst.fn.name) !== inst) return;
        // A process that served for a while starts over at the shortest delay.
        if (Date.now() - inst.upSince > 10_000) inst.failures = 0;
        const delay = Math.min(maxBackoffMs, backoffMs * 2 ** inst.failures);
        inst.failures += 1;
        // The back-off counts as starting: a call that comes meanwhile waits for the new process.
        void track(inst, new Promise<void>((restarted) => {
          inst.cancelRestart = restarted;
          inst.restartTimer = setTimeout(() => restarted(launch(inst)), delay);
          inst.restartTimer.unref();
        }));
      });
    });
  }

  async function stopInstance(inst: Instance): Promise<void> {
    inst.stopping = true;
    clearTimeout(inst.restartTimer);
    inst.cancelRestart?.();
    const child = inst.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      // SIGTERM lets in-flight calls finish; after 1 s closing stdin ends it (parent-watch), after 3 s SIGKILL.
      const nudge = setTimeout(() => child.stdin?.end(), 1000);
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => { clearTimeout(nudge); clearTimeout(kill); resolve(); });
      child.kill('SIGTERM');
    });
  }

  function forward(inst: Instance, port: number, req: UpstreamRequest, signal: AbortSignal): Promise<FnResponse> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, 'content-length': String(req.body.length) };
      const upstream = http.request({ agent, host: '127.0.0.1', port, method: req.method, path: req.path + (req.query ? `?${req.query}` : ''), headers });
      const onAbort = () => { upstream.destroy(); reject(signal.reason); };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      upstream.on('response', (res) => {
        const length = Number(res.headers['content-length'] ?? -1);
        const answer = (body: FnResponse['body']) => {
          signal.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 502, headers: flattenHeaders(res.headers), body });
        };
        // A sized answer is read whole and sent in one write; only unsized ones (server-sent events) stream.
        if (length < 0 || length > BUFFER_LIMIT) return answer(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => answer(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
        res.on('error', (err) => upstream.emit('error', err));
      });
      upstream.on('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return reject(signal.reason);
        reject(new GanglionError(502, 'function_unreachable', `cannot reach function ${inst.fn.name} on 127.0.0.1:${port}: ${err.message}; it is being restarted`));
      });
      upstream.end(req.body);
    });
  }

  return {
    mode,
    async start(fn) {
      const old = instances.get(fn.name);
      // The new instance is registered at once, so a call that comes while the old one stops waits for the new one.
      const inst: Instance = { fn, upSince: Date.now(), failures: 0, stopping: false, lastExit: 'not started' };
      instances.set(fn.name, inst);
      await track(inst, (old ? stopInstance(old) : Promise.resolve()).then(() => (inst.stopping ? undefined : launch(inst))));
    },
    starting: (name) => instances.get(name)?.pending,
    async stop(name) {
      const inst = instances.get(name);
      instances.delete(name);
      if (inst) await stopInstance(inst);
    },
    async invoke(name, req, signal) {
      const inst = instances.get(name);
      if (!inst || inst.port === undefined) {
        throw new GanglionError(502, 'function_unavailable', `function ${name} is not running (${inst?.lastExit ?? 'not started'}); it restarts with backoff, try again shortly`);
      }
      return forward(inst, inst.port, req, signal);
    },
    available: (name) => (instances.get(name)?.port !== undefined ? 1 : 0),
    pids: () => Object.fromEntries([...instances].flatMap(([n, i]) => (i.child?.pid && i.port !== undefined ? [[n, i.child.pid]] : []))),
    async stopAll() {
      // Idle keep-alive sockets would hold each child's server.close() open until its keep-alive timeout.
      agent.destroy();
      await Promise.all([...instances.values()].map(stopInstance));
      instances.clear();
    },
  };
}
