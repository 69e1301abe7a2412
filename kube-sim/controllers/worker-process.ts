/**
 * Runs a container for real — a `ganglion-worker` or a demo app — as `node <workerEntry> <args…>` in a temp dir with
 * the container's env; output streams to the caller as it arrives; SIGTERM, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WorkerHandle {
  /** SIGTERM now, SIGKILL after graceMs if still running. */
  kill(graceMs: number): void;
  alive(): boolean;
  /** a server that runs until stopped (a demo app), not a batch process that ends by itself */
  readonly serving: boolean;
}

export interface WorkerOptions {
  /** the script that stands for the image's entrypoint (the host project's compiled worker) */
  workerEntry: string;
  args: string[];
  env: Record<string, string>;
  /** hostname inside the "container" */
  podName: string;
  onOutput(text: string): void;
  onExit(exitCode: number, signal: NodeJS.Signals | null): void;
  /** a server process (the demo apps): it says over an IPC channel which local port it listens on */
  onListening?(port: number): void;
  /** what the container log says when the script is missing (which setting points here) */
  missingHint?: string;
}

export function isWorkerImage(image: string | undefined): boolean {
  return typeof image === 'string' && image.includes('ganglion-worker');
}

const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGKILL: 137, SIGTERM: 143, SIGINT: 130 };

export function startWorker(opts: WorkerOptions): WorkerHandle {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'kube-sim-worker-'));
  const entry = opts.workerEntry;
  // a container does not inherit the host's environment: PATH stays so git and npm work inside it, and HOME is the
  // container's own, empty, under its temp dir — never the user's (~/.ssh, ~/.kube, ~/.npmrc stay out of reach)
  const home = path.join(cwd, 'home');
  mkdirSync(home, { mode: 0o700 });
  const baseEnv: Record<string, string> = { HOSTNAME: opts.podName, HOME: home };
  for (const key of ['PATH', 'LANG', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) baseEnv[key] = value;
  }
  // node's own "Cannot find module" follows and fails the container; say which setting points here
  const hint = opts.missingHint ?? 'set the workerEntry option (kube-sim --worker-entry)';
  if (!existsSync(entry)) opts.onOutput(`kube-sim: no script at ${entry}; ${hint}\n`);
  const onListening = opts.onListening;
  const stdio: ('ignore' | 'pipe' | 'ipc')[] = onListening ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const child = spawn(process.execPath, [entry, ...opts.args], { cwd, env: { ...baseEnv, ...opts.env }, stdio });
  if (onListening) {
    child.on('message', (msg: unknown) => {
      const port = (msg as { listening?: unknown } | null)?.listening;
      if (typeof port === 'number') onListening(port);
    });
  }
  let running = true;
  let killTimer: NodeJS.Timeout | undefined;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => opts.onOutput(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => opts.onOutput(chunk));
  child.on('error', (err) => opts.onOutput(`kube-sim: could not start worker: ${err.message}\n`));
  child.on('close', (code, signal) => {
    running = false;
    if (killTimer) clearTimeout(killTimer);
    rmSync(cwd, { recursive: true, force: true });
    opts.onExit(code ?? (signal ? (SIGNAL_CODES[signal] ?? 137) : 1), signal);
  });
  return {
    serving: onListening !== undefined,
    alive: () => running,
    kill(graceMs) {
      if (!running) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => { if (running) child.kill('SIGKILL'); }, graceMs);
      killTimer.unref();
    },
  };
}
