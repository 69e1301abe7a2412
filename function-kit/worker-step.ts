/** A function step backed by a worker Job: spawn it, wait, and turn its outcome into step.completed or a GanglionError that says what happened. */
import type { FunctionContext, StepResult } from './function-module.js';
import { GanglionError } from '../kernel/errors.js';
import type { WorkerRole } from '../events/worker-result.js';
import { runWorkerJob, type WorkerJobOutcome } from '../cluster/job-runner.js';
import { resolveRepo } from '../cluster/repo-source.js';

/** HTTP status of the worker's error codes (the result line carries only the code). */
const STATUS: Record<string, number> = { branch_not_found: 404, no_repository: 400, repo_not_allowed: 403, repo_unreachable: 502, repo_empty: 422, git_timeout: 504, tests_timeout: 504, coverage_timeout: 504, terminated: 504, verify_failed: 422 };

export interface WorkerStepOptions {
  cluster?: string;
  /** activeDeadlineSeconds of this Job (default: GANGLION_WORKER_DEADLINE_S) */
  timeoutSeconds?: number;
  needsApi?: boolean;
  subject?: string;
}

function jobText(o: WorkerJobOutcome): string {
  return `Job ${o.namespace}/${o.job}${o.pod ? ` (pod ${o.pod})` : ''}`;
}

/** What went wrong, in words, from the Job's outcome. Exported for tests. */
export function outcomeError(role: WorkerRole, o: WorkerJobOutcome, deadlineSeconds: number): GanglionError {
  const details = { job: o.job, namespace: o.namespace, pod: o.pod, reason: o.reason, logTail: o.logTail };
  const tail = o.logTail ? `\nlast log lines:\n${o.logTail}` : ' (the worker left no log)';
  if (o.reason === 'DeadlineExceeded') {
    return new GanglionError(504, 'worker_deadline_exceeded', `the ${role} ${jobText(o)} ran longer than its activeDeadlineSeconds (${deadlineSeconds} s) and was stopped (DeadlineExceeded)${tail}`, { details });
  }
  if (o.result?.type === 'dev.ganglion.step.failed') {
    const e = o.result.data.error;
    return new GanglionError(STATUS[e.code] ?? 422, e.code, e.message, { details: { ...details, ...(e.details ?? {}) } });
  }
  return new GanglionError(502, 'worker_failed', `the ${role} ${jobText(o)} ended ${o.status} (${o.reason || 'no reason given'}) without a result line${tail}`, { details });
}

export async function runWorkerStep(ctx: FunctionContext, role: WorkerRole, args: string[], opts: WorkerStepOptions = {}): Promise<StepResult> {
  const c = await ctx.kube.clients(opts.cluster);
  const w = ctx.config.workers;
  // the Job's own deadline must fire before this function's exec_timeout, so the answer says what happened (with the log tail)
  const execCap = Math.max(1, Math.floor(ctx.config.execTimeoutMs / 1000) - 10);
  const deadlineSeconds = Math.min(opts.timeoutSeconds ?? w.deadlineSeconds, execCap);
  const env: Record<string, string> = {};
  if (ctx.config.ollamaHost) env.OLLAMA_HOST = ctx.config.ollamaHost;
  if (ctx.config.models.length) env.GANGLION_MODELS = ctx.config.models.join(',');
  // a cluster on this machine (kube-sim) runs the worker here too: it reads the API through the same kubeconfig;
  // on a real cluster the worker uses its service account instead
  if (opts.needsApi && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(c.server) && ctx.config.kubeconfig) {
    env.KUBECONFIG = ctx.config.kubeconfig;
    env.GANGLION_KUBE_CONTEXT = c.context;
  }
  const ext = ctx.event.extensions;
  const outcome = await runWorkerJob(c, {
    role, args: [...args, '--timeout-ms', String((deadlineSeconds + 30) * 1000)], env, namespace: w.namespace, image: w.image,
    deadlineSeconds, ttlSeconds: w.ttlSeconds, needsApi: opts.needsApi,
    ...(typeof ext.runid === 'string' ? { runId: ext.runid } : {}), ...(typeof ext.stepid === 'string' ? { stepId: ext.stepid } : {}),
  }, { signal: ctx.signal });
  // the result line agrees with the worker's exit code (job-runner checks): a Job that failed because its tests
  // failed (exit 3) still answers with its counts
  if (outcome.result?.type !== 'dev.ganglion.step.completed') throw outcomeError(role, outcome, deadlineSeconds);
  const { summary, data } = outcome.result.data;
  const job = { name: outcome.job, namespace: outcome.namespace, pod: outcome.pod, durationMs: outcome.durationMs };
  return { summary, data: { ...(data && typeof data === 'object' ? data : { value: data }), job }, ...(opts.subject ? { subject: opts.subject } : {}) };
}

/** A code operation: find the repository, then run the role's Job against it. */
export async function runRepoWorker(ctx: FunctionContext, role: WorkerRole, input: { repo?: string; app?: string; namespace?: string; branch?: string; cluster?: string; timeoutSeconds?: number }): Promise<StepResult> {
  const c = await ctx.kube.clients(input.cluster);
  const repo = await resolveRepo(c, input, ctx.config.repo, ctx.config.repoAllow);
  const res = await runWorkerStep(ctx, role, ['--repo', repo.url, ...(input.branch ? ['--branch', input.branch] : [])], { cluster: input.cluster, timeoutSeconds: input.timeoutSeconds });
  return { ...res, data: { ...(res.data as Record<string, unknown>), repoFrom: repo.from } };
}
