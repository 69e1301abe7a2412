/** The coverage worker: run the tests with coverage (c8 or nyc when the repo has them, else node's built-in) and read the report. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import { cloneRepo } from './git-repo.js';
import { leastCovered, nodeCoverageTotals, parseJsonSummary, parseLcov, type CoverageReport } from './coverage-report.js';
import { runCommand } from './bounded-command.js';
import { installDependencies, readPackage, testEnv, testScript } from './test-command.js';
import type { Role } from './worker-io.js';

interface Plan { command: string; tool: string; read(dir: string): CoverageReport }

function coveragePlan(dir: string, out: string): Plan {
  const pkg = readPackage(dir);
  const deps = { ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) };
  const script = testScript(dir);
  const summary = (d: string) => {
    const file = path.join(out, 'coverage-summary.json');
    if (!existsSync(file)) throw new GanglionError(422, 'no_coverage_report', `the coverage tool wrote no ${path.basename(file)}`);
    return parseJsonSummary(readFileSync(file, 'utf8'), d);
  };
  if (deps.c8) return { tool: 'c8', command: `c8 --reporter=json-summary --reporter=text --reports-dir=${out} ${script}`, read: summary };
  if (deps.nyc) return { tool: 'nyc', command: `nyc --reporter=json-summary --reporter=text --report-dir=${out} ${script}`, read: summary };
  // node's own coverage: keep the repo's node --test arguments, add the coverage flags and an lcov file
  const args = /^node --test\b(.*)$/.exec(script)?.[1]?.trim() ?? '';
  const lcov = path.join(out, 'lcov.info');
  return {
    tool: 'node --experimental-test-coverage',
    command: `node --test --experimental-test-coverage --test-reporter=tap --test-reporter-destination=stdout --test-reporter=lcov --test-reporter-destination=${lcov} ${args}`.trim(),
    read: () => {
      if (!existsSync(lcov)) throw new GanglionError(422, 'no_coverage_report', 'node --experimental-test-coverage wrote no lcov report (does the repo have tests?)');
      return parseLcov(readFileSync(lcov, 'utf8'));
    },
  };
}

const pct = (n: number) => `${n.toFixed(2).replace(/\.00$/, '')}%`;

export const coverageRole: Role = async (args, io) => {
  if (!args.repo) throw new GanglionError(400, 'no_repository', 'no repository given to the coverage worker (--repo)');
  const started = Date.now();
  const checkout = await cloneRepo({ url: args.repo, branch: args.branch });
  const out = mkdtempSync(path.join(os.tmpdir(), 'ganglion-coverage-'));
  try {
    await installDependencies(checkout.dir, Math.min(args.timeoutMs, 300_000), io.passthrough);
    const plan = coveragePlan(checkout.dir, out);
    io.progress(`running: ${plan.command}`);
    const res = await runCommand('sh', ['-c', plan.command], { cwd: checkout.dir, env: testEnv(checkout.dir), timeoutMs: Math.max(1000, args.timeoutMs - (Date.now() - started)), onOutput: io.passthrough });
    if (res.timedOut) throw new GanglionError(504, 'coverage_timeout', `the coverage run did not finish within ${args.timeoutMs} ms; last output:\n${res.output.split('\n').slice(-20).join('\n')}`);
    const report = plan.read(checkout.dir);
    // the tool covers test files too (its totals include them); the least-covered list is about the code under test
    const code = report.files.filter((f) => !/(^|\/)(tests?|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/.test(f.file));
    const least = leastCovered(code.length ? code : report.files, 5);
    const t = report.totals;
    const testsFailed = res.code !== 0;
    const summary = `Coverage of ${checkout.branch}: lines ${pct(t.lines.pct)}, branches ${pct(t.branches.pct)}, functions ${pct(t.functions.pct)} (${plan.tool}). ` +
      `Least covered: ${least.map((f) => `${f.file} ${pct(f.lines.pct)}`).join(', ') || 'none'}${testsFailed ? `. Note: the tests exited ${res.code}, so some code may not have run.` : '.'}`;
    return {
      summary,
      data: {
        repo: args.repo, branch: checkout.branch, commit: checkout.commit, tool: plan.tool, command: plan.command, source: report.source,
        totals: t, leastCovered: least, files: report.files.length, testsExitCode: res.code, toolTotals: nodeCoverageTotals(res.output) ?? null, durationMs: Date.now() - started,
      },
    };
  } finally {
    rmSync(checkout.dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
};
