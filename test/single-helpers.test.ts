/** One of each helper: a second atomic write, zod-error formatter, canonical JSON, Job runner or name matcher fails here. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stripComments } from '../testing/import-graph.js';
import { findHelperCopies, SINGLE_HELPERS } from '../testing/helper-copies.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const test = suite('single-helpers');

test('production code holds one of each helper: no copy outside its home', () => {
  const copies = findHelperCopies(repoRoot).map((c) => `${c.file}:${c.line} is a second ${c.helper}; use ${SINGLE_HELPERS.find((h) => h.name === c.helper)?.home}: ${c.text}`);
  assert.equal(copies, []);
});

test('each helper\'s home still holds the code its pattern looks for, so the search is not looking for nothing', () => {
  for (const h of SINGLE_HELPERS) {
    const code = stripComments(readFileSync(path.join(repoRoot, h.home), 'utf8'));
    assert.ok(h.pattern.test(code) && (!h.fileAlso || h.fileAlso.test(code)), `${h.home} no longer matches the pattern of the ${h.name}`);
  }
});

test('a copy of each helper written back into production code is found at its line; tests, kube-sim and comments are not', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'single-helpers-'));
  const put = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  try {
    put('monitors/store.ts', "import { renameSync } from 'node:fs';\nexport const save = (a: string, b: string) => renameSync(a, b);\n");
    put('gateway/routes.ts', "/**\n * Routes.\n */\nexport const why = (e: { issues: { message: string }[] }) => e.issues.map((i) => i.message).join('; ');\n");
    put('functions/planner/key.ts', 'export const key = (v: object) => `{${Object.keys(v).sort().map((k) => JSON.stringify(k)).join()}}`;\n');
    put('functions/scan/job.ts', 'export const run = (c: Clients) => c.batch.createNamespacedJob({ namespace: "x", body: {} });\n');
    put('cluster/lookup.ts', 'function distance(a: string, b: string): number { return a.length - b.length; }\n');
    put('functions/scan/job.test.ts', 'c.batch.createNamespacedJob({});\n');
    put('kube-sim/hash.ts', 'const s = Object.keys(v).sort(); JSON.stringify(s);\n');
    put('cluster/notes.ts', '// renameSync(tmp, file) was here\nexport const list = (o: object) => Object.keys(o).sort();\n');
    const found = findHelperCopies(dir).map((c) => `${c.file}:${c.line} ${c.helper}`);
    assert.equal(found.sort(), [
      'cluster/lookup.ts:1 closest-name matcher (edit distance)',
      'functions/planner/key.ts:1 canonical JSON (sorted object keys)',
      'functions/scan/job.ts:1 Kubernetes Job runner',
      'gateway/routes.ts:4 zod-error formatter',
      'monitors/store.ts:2 atomic file write (temp, fsync, rename)',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
