#!/usr/bin/env node
// Runs every compiled uvu test file (dist/**/*.test.js, and <workspace>/dist/**/*.test.js for each npm workspace
// package) in its own process, two at a time, each with a deadline, and ends with one plain line "N passed, N failed".
// `npm test -- gateway kube-sim` filters by path: the source path, as dist/ and <workspace>/dist/ mirror their sources.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const workspaces = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).workspaces ?? [];
const filters = process.argv.slice(2);
const jobs = Number(process.env.GANGLION_TEST_JOBS || 2);
const perFileMs = Number(process.env.GANGLION_TEST_TIMEOUT_MS || 240_000);

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) find(full, out);
    else if (name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

// each build output with the source folder it mirrors: dist/ holds the root's sources, <ws>/dist/ a workspace's
const outputs = [{ dist: path.join(root, 'dist'), source: '' }, ...workspaces.map((ws) => ({ dist: path.join(root, ws, 'dist'), source: ws }))];
const sourcePathOf = new Map();
for (const { dist, source } of outputs.filter((o) => existsSync(o.dist))) {
  for (const file of find(dist)) sourcePathOf.set(file, path.join(source, path.relative(dist, file)));
}
// a workspace compiles into its own dist/; dist/<workspace>/ is what an older build left there
for (const file of sourcePathOf.keys()) {
  if (workspaces.some((ws) => file.startsWith(path.join(root, 'dist', ws) + path.sep))) sourcePathOf.delete(file);
}
const files = [...sourcePathOf.keys()]
  .filter((f) => filters.length === 0 || filters.some((x) => sourcePathOf.get(f).includes(x)))
  .sort();

// eslint-disable-next-line no-control-regex
const strip = (s) => s.replace(/\u001b\[[0-9;]*m/g, '');

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, perFileMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = strip(out);
      const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
      let failed = total - passed - skipped;
      if ((code !== 0 || timedOut) && failed === 0) failed = 1;
      if (total === 0 && failed === 0) failed = 1; // a test file that ran nothing proves nothing
      resolve({ file, passed, failed, skipped, text, timedOut, ms: Date.now() - started });
    });
  });
}

const results = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    const r = await runFile(file);
    results.push(r);
    const rel = path.relative(root, r.file);
    const mark = r.failed ? 'FAIL' : 'ok  ';
    process.stdout.write(`${mark} ${rel} (${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}${r.timedOut ? ', timed out' : ''}, ${(r.ms / 1000).toFixed(1)}s)\n`);
    if (r.failed) process.stdout.write(r.text.split('\n').map((l) => `     ${l}`).join('\n') + '\n');
  }
}
await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
if (files.length === 0) process.stdout.write('no test files matched\n');
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
