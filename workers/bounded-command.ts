/** Runs one command of a worker (git, npm, the repo's tests) with a deadline, bounded output and its whole process group stopped. */
import { spawn } from 'node:child_process';
import { tailToBytes } from '../cluster/log-tail.js';

export interface CommandResult {
  code: number;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved as they came, at most maxBytes (the newest part) */
  output: string;
  stdout: string;
  truncated: boolean;
  ms: number;
}

export interface CommandOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  maxBytes?: number;
  /** sees every chunk as it arrives (the worker copies test output into the pod log) */
  onOutput?: (chunk: string) => void;
}

/** Live children, so a worker told to stop (SIGTERM at a Job's deadline) stops them too. */
const live = new Set<number>();
export function stopAllCommands(): void {
  for (const pid of live) {
    try { process.kill(-pid, 'SIGKILL'); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; }
  }
}

export function runCommand(cmd: string, args: string[], { cwd, env, timeoutMs = 120_000, maxBytes = 1024 * 1024, onOutput }: CommandOptions): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // detached: its own process group, so a test runner's children stop with it
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let stdout = '';
    let truncated = false;
    let timedOut = false;
    const keep = (text: string, chunk: string) => {
      const joined = text + chunk;
      if (joined.length <= maxBytes * 2) return joined;
      truncated = true;
      return joined.slice(joined.length - maxBytes);
    };
    child.stdout.setEncoding('utf8').on('data', (c: string) => { output = keep(output, c); stdout = keep(stdout, c); onOutput?.(c); });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { output = keep(output, c); onOutput?.(c); });
    if (child.pid) live.add(child.pid);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) try { process.kill(-child.pid, 'SIGKILL'); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ESRCH') reject(err); }
    }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); if (child.pid) live.delete(child.pid); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid) live.delete(child.pid);
      const cut = tailToBytes(output, maxBytes);
      resolve({ code: code ?? (signal ? 128 : 1), signal, timedOut, output: cut.text, stdout: tailToBytes(stdout, maxBytes).text, truncated: truncated || cut.droppedBytes > 0, ms: Date.now() - started });
    });
  });
}
