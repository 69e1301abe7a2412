/** Runs `node dist/gateway/main.js` as a child (as npm start does), for tests and the bench that kill it. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const mainJs = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'main.js');

export interface SpawnedGateway {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the "gateway on" line. */
  startMs: number;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export function spawnGateway({ home, stackFile, env = {}, timeoutMs = 120_000 }: { home: string; stackFile: string; env?: Record<string, string>; timeoutMs?: number }): Promise<SpawnedGateway> {
  const started = Date.now();
  const child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, GANGLION_HOME: home, GANGLION_STACK_FILE: stackFile, GANGLION_PORT: '0', KUBECONFIG: path.join(home, 'no-cluster'), LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not serve within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /gateway on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({ url: m[1] as string, child, startMs: Date.now() - started, kill9: () => kill('SIGKILL'), stop: () => kill('SIGTERM') });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited with code ${code} before serving: ${out}`)); });
  });
}
