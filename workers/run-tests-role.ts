/** The run-tests worker: clone the branch, install when needed, run the repo's tests, parse the result. */
import { readFileSync, rmSync } from 'node:fs';
import { GanglionError } from '../kernel/errors.js';
import { cloneRepo } from './git-repo.js';
import { parseJunit } from './junit-parser.js';
import { runCommand } from './bounded-command.js';
import { installDependencies, junitFiles, testEnv, testScript } from './test-command.js';
import { parseTestOutput } from './parse-test-output.js';
import type { TestReport } from './test-report.js';
import type { Role } from './worker-io.js';

const TAIL_LINES = 30;

export function testsSummary(branch: string, r: TestReport): string {
  const counts = `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
  if (!r.failed) return `Tests on ${branch} passed: ${counts}.`;
  const first = r.failures.slice(0, 3).map((f) => `"${f.name}": ${f.message.split('\n').filter(Boolean).slice(0, 2).join(' ')}${f.location ? ` (${f.location.replace(/^.*?ganglion-checkout-[^/]+\//, '')})` : ''}`);
  return `Tests on ${branch} FAILED: ${counts}. Failed: ${first.join('; ')}${r.failures.length > 3 ? ` (+${r.failures.length - 3} more)` : ''}`;
}

export const runTestsRole: Role = async (args, io) => {
  if (!args.repo) throw new GanglionError(400, 'no_repository', 'no repository given to the run-tests worker (--repo)');
  const started = Date.now();
  const checkout = await cloneRepo({ url: args.repo, branch: args.branch });
  try {
    io.progress(`checked out ${checkout.branch} at ${checkout.commit.slice(0, 12)}`);
    const install = await installDependencies(checkout.dir, Math.min(args.timeoutMs, 300_000), io.passthrough);
    if (install) io.progress(`installed dependencies in ${install.ms} ms`);
    const script = testScript(checkout.dir);
    io.progress(`running: ${script}`);
    const runStarted = Date.now();
    const res = await runCommand('sh', ['-c', script], { cwd: checkout.dir, env: testEnv(checkout.dir), timeoutMs: Math.max(1000, args.timeoutMs - (Date.now() - started)), onOutput: io.passthrough });
    if (res.timedOut) throw new GanglionError(504, 'tests_timeout', `the test command "${script}" did not finish within ${args.timeoutMs} ms; last output:\n${res.output.split('\n').slice(-TAIL_LINES).join('\n')}`);
    const xml = junitFiles(checkout.dir, runStarted)[0];
    const report = xml ? parseJunit(readFileSync(xml, 'utf8')) : parseTestOutput(res.output);
    const base = { repo: args.repo, branch: checkout.branch, commit: checkout.commit, command: script, exitCode: res.code, durationMs: Date.now() - started };
    if (!report || report.total === 0) {
      const tail = res.output.split('\n').slice(-TAIL_LINES).join('\n');
      if (res.code === 0) return { summary: `Tests on ${checkout.branch} exited 0, but their output is not TAP, JUnit, node's spec reporter or uvu, so no counts.`, data: { ...base, format: 'unknown', passed: null, failed: null, skipped: null, failures: [], outputTail: tail } };
      throw new GanglionError(422, 'tests_failed_unparsed', `the test command "${script}" on ${checkout.branch} exited ${res.code} and its output is not in a format Ganglion reads; last output:\n${tail}`);
    }
    return { summary: testsSummary(checkout.branch, report), data: { ...base, ...report, outputTruncated: res.truncated } };
  } finally {
    rmSync(checkout.dir, { recursive: true, force: true });
  }
};
