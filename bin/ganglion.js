#!/usr/bin/env node
// The `ganglion` CLI entry: loads the compiled CLI (dist/cli/main.js) and exits with its code.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('ganglion: the CLI is not built yet; run npm run build (or ./quickstart.sh) first\n');
  process.exit(1);
}
// Ctrl-C stops watching, not the run: the planner carries on, so say where to find it.
process.once('SIGINT', () => {
  process.stderr.write('\nganglion: interrupted; a run that had started goes on at the gateway (ganglion runs lists it)\n');
  process.exit(130);
});
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  interactive: process.stdin.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
