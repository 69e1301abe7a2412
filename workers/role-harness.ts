/** Test harness for worker roles: a fresh demo repository per test file and an io that records progress. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../kernel/config.js';
import { createDemoRepo } from './demo-repo.js';
import type { WorkerIo } from './worker-io.js';

export function demoRepo(): string {
  return createDemoRepo(path.join(mkdtempSync(path.join(os.tmpdir(), 'g-repo-')), 'placemyparents'));
}

export function recordingIo(env: Record<string, string | undefined> = {}): WorkerIo & { lines: string[] } {
  const lines: string[] = [];
  return { config: loadConfig(env), lines, progress: (t) => lines.push(t), passthrough: (c) => lines.push(c) };
}
