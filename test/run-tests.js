#!/usr/bin/env node
// Runs every compiled uvu test file (dist/**/*.test.js, and <workspace>/dist/**/*.test.js for each npm workspace
// package) in its own process, two at a time, each with a deadline, and ends with one plain line
// "N passed, N failed, N skipped". `npm test -- gateway kube-sim` filters by the source path, as dist/ and
// <workspace>/dist/ mirror their sources.
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

/**
 * Counts from uvu's summary. uvu's "Total" is the tests that ran and "Passed" those that passed; a `test.skip`
 * is in neither, only in "Skipped" (as are the other tests of a file that uses `test.only`).
 */
function tally(text, code, timedOut) {
  const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  const ran = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  let failed = ran - passed;
  if ((code !== 0 || timedOut) && failed === 0) failed = 1;
  // a file that ran nothing and skipped nothing proves nothing
  if (ran === 0 && skipped === 0 && failed === 0) failed = 1;
  const status = failed > 0 ? 'failed' : ran === 0 ? 'skipped' : 'passed';
  return { passed, failed, skipped, status };
}

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
      resolve({ file, text, timedOut, ms: Date.now() - started, ...tally(text, code, timedOut) });
    });
  });
}

const MARK = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' };

function report(r) {
  const counts = [`${r.passed} passed`];
  if (r.failed) counts.push(`${r.failed} failed`);
  if (r.skipped) counts.push(`${r.skipped} skipped`);
  if (r.timedOut) counts.push('timed out');
  let line = `${MARK[r.status]} ${path.relative(root, r.file)} (${counts.join(', ')}, ${(r.ms / 1000).toFixed(1)}s)\n`;
  // a test that skips prints one "skip: <why>" line; show it so a skip is never silent
  if (r.skipped) for (const why of r.text.split('\n').filter((l) => l.startsWith('skip: '))) line += `     ${why}\n`;
  if (r.failed) line += r.text.split('\n').map((l) => `     ${l}`).join('\n') + '\n';
  return line;
}

const results = [];
let next = 0;
async function worker() {
  while (next < files.length) {
    const r = await runFile(files[next++]);
    results.push(r);
    process.stdout.write(report(r));
  }
}
await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
const sum = (key) => results.reduce((n, r) => n + r[key], 0);
const failed = sum('failed');
if (files.length === 0) process.stdout.write('no test files matched\n');
process.stdout.write(`${sum('passed')} passed, ${failed} failed, ${sum('skipped')} skipped\n`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
