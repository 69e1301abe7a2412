#!/usr/bin/env node
// The `kube-sim` command: runs the compiled entry point (dist/main.js) once the package is built.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('kube-sim: not built yet; run npm run build at the repository root (or npm run build -w @ganglion/kube-sim) first\n');
  process.exit(1);
}
await import(entry.href);
