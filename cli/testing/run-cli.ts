/** Runs the `ganglion` CLI in-process for tests, capturing what it prints. */
import { PassThrough } from 'node:stream';
import { main, type CliIo } from '../main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/**
 * `ganglion <argv>` with `io`'s settings; `answers`, when given, are typed on a stdin the CLI treats as a person at
 * a terminal (interactive), otherwise stdin is not a terminal.
 */
export async function runCli(argv: string[], io: Omit<CliIo, 'stdin' | 'stdout' | 'stderr' | 'interactive'>, answers?: string): Promise<CliResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  if (answers !== undefined) stdin.end(answers);
  const code = await main(argv, { ...io, stdin, stdout, stderr, interactive: answers !== undefined });
  stdin.destroy();
  return { code, out, err };
}
