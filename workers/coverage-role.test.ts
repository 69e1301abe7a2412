import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coverageRole } from './coverage-role.js';
import { nodeCoverageTotals, type Metric } from './coverage-report.js';
import { demoRepo, recordingIo } from './role-harness.js';

const repo = demoRepo();

test('coverage totals equal what node --experimental-test-coverage itself reports for the repository', async () => {
  const r = await coverageRole({ repo, timeoutMs: 60_000 }, recordingIo());
  const d = r.data as { totals: { lines: Metric; branches: Metric; functions: Metric }; leastCovered: { file: string }[]; tool: string };
  // the tool, run by hand in a clone of its own, with its own table
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'g-cov-')), 'c');
  execFileSync('git', ['clone', '-q', repo, dir]);
  const out = spawnSync(process.execPath, ['--test', '--experimental-test-coverage'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
  const tool = nodeCoverageTotals(out.stdout);
  assert.ok(tool, out.stdout.slice(-500));
  assert.equal({ lines: d.totals.lines.pct, branches: d.totals.branches.pct, functions: d.totals.functions.pct }, tool);
  assert.is(d.tool, 'node --experimental-test-coverage');
  assert.equal(d.leastCovered.map((f) => f.file), ['src/pricing.js', 'src/matching.js']);
  assert.match(r.summary, `Coverage of main: lines ${tool!.lines}%`);
  assert.match(r.summary, 'Least covered: src/pricing.js');
});

test.run();
