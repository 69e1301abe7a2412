/**
 * `ganglion-worker`: the process a worker Job runs — `node dist/workers/main.js <role> [--repo … --branch … --name … --namespace …]`,
 * or `invoke <function> --body '<json>'` (what a CronJob made by automate runs).
 * Progress goes to stderr; the LAST stdout line is the result event the Job runner reads. Exit 0 = completed, 3 = completed
 * with failures (tests that failed), 1 = failed: the runner believes a result line only when it agrees with the exit code.
 */
import { parseArgs } from 'node:util';
import { EVENT } from '../events/event-types.js';
import { loadConfig } from '../kernel/config.js';
import { toPublicError } from '../kernel/errors.js';
import { codeReviewRole } from './code-review-role.js';
import { coverageRole } from './coverage-role.js';
import { pruneRole } from './prune-role.js';
import { formatResultLine, RESULT_KEY_ENV, resultExitCode, WORKER_ROLES, type ResultLine, type WorkerRole } from '../events/worker-result.js';
import { stopAllCommands } from './bounded-command.js';
import { runTestsRole } from './run-tests-role.js';
import { verifyRole } from './verify-role.js';
import { invokeRole } from './invoke-role.js';
import { trainRole } from './train-role.js';
import type { Role, WorkerArgs, WorkerIo } from './worker-io.js';

const ROLES: Record<WorkerRole, Role> = { 'code-review': codeReviewRole, 'run-tests': runTestsRole, coverage: coverageRole, verify: verifyRole, prune: pruneRole, invoke: invokeRole, train: trainRole };

export function parseWorkerArgs(argv: string[]): WorkerArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      repo: { type: 'string' }, branch: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' },
      'window-ms': { type: 'string' }, 'smoke-url': { type: 'string' }, 'timeout-ms': { type: 'string' },
      body: { type: 'string' },
    },
    strict: true,
  });
  const num = (v: string | undefined, fallback: number) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback);
  return {
    ...(values.repo ? { repo: values.repo } : {}), ...(values.branch ? { branch: values.branch } : {}),
    ...(values.name ? { name: values.name } : {}), ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values['window-ms'] ? { windowMs: num(values['window-ms'], 3000) } : {}), ...(values['smoke-url'] ? { smokeUrl: values['smoke-url'] } : {}),
    ...(values.body !== undefined ? { body: values.body } : {}), ...(positionals.length ? { positionals } : {}),
    timeoutMs: num(values['timeout-ms'], 600_000),
  };
}

/**
 * The Job's result key, taken out of the environment before anything else runs, so no command the worker starts
 * (git, npm, the repository's tests) inherits it and can sign a result of its own.
 */
export function takeResultKey(env: Record<string, string | undefined> = process.env): string | undefined {
  const key = env[RESULT_KEY_ENV] || undefined;
  delete env[RESULT_KEY_ENV];
  return key;
}

/** Runs one role and writes its result line (signed with `key`); returns the exit code. */
export async function runWorker(argv: string[], env: Record<string, string | undefined> = process.env, write: (line: string) => void = (l) => process.stdout.write(l), key = takeResultKey(env)): Promise<number> {
  const [role, ...rest] = argv;
  const known = WORKER_ROLES.find((r) => r === role);
  const io: WorkerIo = {
    config: loadConfig(env),
    progress: (text) => process.stderr.write(`[${role}] ${text}\n`),
    passthrough: (chunk) => process.stderr.write(chunk),
  };
  try {
    if (!known) throw Object.assign(new Error(`unknown worker role "${role ?? ''}"; roles: ${WORKER_ROLES.join(', ')}`), { name: 'UsageError' });
    const result: ResultLine = { type: EVENT.stepCompleted, data: await ROLES[known](parseWorkerArgs(rest), io) };
    write(`\n${formatResultLine(known, result, new Date(), key)}\n`);
    // 3 when the role reports failures (tests failed): the runner believes a line only when it agrees with this code
    return resultExitCode(result);
  } catch (err) {
    const pub = err instanceof Error && err.name === 'UsageError' ? { code: 'bad_role', message: err.message } : toPublicError(err);
    if (pub.code === 'internal') process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    write(`\n${formatResultLine(known ?? 'run-tests', { type: EVENT.stepFailed, data: { error: { code: pub.code, message: pub.message, ...('details' in pub && pub.details ? { details: pub.details } : {}) } } }, new Date(), key)}\n`);
    return 1;
  }
}

/**
 * What the worker process does when started: stop on SIGTERM with a failed result line, run the role, exit with its code.
 * The image's bundle calls this from its own entry (where import.meta.url is the bundle, not this file).
 */
export function startWorkerProcess(argv: string[] = process.argv.slice(2)): void {
  const key = takeResultKey();
  // a Job past activeDeadlineSeconds gets SIGTERM: stop the test run and leave a failed result as the last log line
  process.on('SIGTERM', () => {
    stopAllCommands();
    process.stdout.write(`\n${formatResultLine(WORKER_ROLES.find((r) => r === argv[0]) ?? 'run-tests', { type: EVENT.stepFailed, data: { error: { code: 'terminated', message: 'the worker was stopped (SIGTERM), e.g. by the Job\'s activeDeadlineSeconds' } } }, new Date(), key)}\n`);
    process.exit(143);
  });
  runWorker(argv, process.env, undefined, key).then((code) => { process.exitCode = code; });
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) startWorkerProcess();
