/**
 * One attempt at one task: a fresh home lab and gateway, the task's setup with kubectl, the prompt as a person sends
 * it (approving or rejecting as the task's kind says), then the verify on the cluster. A task that fails is a result;
 * only a harness fault (the stack does not start, the setup does not apply, kubectl cannot read) is an `error`.
 */
import path from 'node:path';
import { startHomeLabGateway } from '../testing/scenario-stack.js';
import { writeTestTokens } from '../testing/auth.js';
import { answerText, driveRun } from './drive-run.js';
import { clusterDriver, fingerprintChanges } from './kubectl.js';
import type { ModelUsage } from './ollama-meter.js';
import type { EvalTask } from './task.js';

export type Backend =
  | { kind: 'embedded' }
  /** `usage` reads the meter the planner's OLLAMA_HOST points at. */
  | { kind: 'ollama'; host: string; model: string; usage(): ModelUsage; timeoutMs?: number };

export interface Attempt {
  task: string;
  passed: boolean;
  /** Why it did not pass: the verify's findings and the harness's own (no approval, changed on a read, …). */
  problems: string[];
  /** A harness fault: the attempt proves nothing about the planner. */
  error?: string;
  status?: string;
  planner?: string;
  approvals: number;
  /** The run, from the command to its end. */
  wallMs: number;
  /** Model calls and tokens of this attempt; undefined for the embedded planner (it calls no model). */
  usage?: ModelUsage;
}

const diff = (a: ModelUsage, b: ModelUsage): ModelUsage => ({
  calls: a.calls - b.calls, promptTokens: a.promptTokens - b.promptTokens, completionTokens: a.completionTokens - b.completionTokens, uncounted: a.uncounted - b.uncounted,
});

export async function runAttempt(task: EvalTask, backend: Backend, { settleMs = 500 }: { settleMs?: number } = {}): Promise<Attempt> {
  const env: Record<string, string> = backend.kind === 'ollama' ? { OLLAMA_HOST: backend.host, GANGLION_MODELS: backend.model } : {};
  const stack = await startHomeLabGateway({ settleMs, env });
  const fail = (error: string): Attempt => ({ task: task.name, passed: false, problems: [], error, approvals: 0, wallMs: 0 });
  try {
    const tokens = writeTestTokens(path.join(stack.home, 'secrets'));
    const k = clusterDriver(stack.sim.kubeconfigPath);
    try {
      if (task.manifests) await k.apply(task.manifests);
      for (const args of task.setup ?? []) await k.kubectl(...args);
      // let the controllers roll the setup out (pods scheduled, started, ready) before the person asks
      await stack.sim.settle(300);
      if (task.waitMs) await new Promise((r) => setTimeout(r, task.waitMs));
    } catch (err) {
      return fail(`setup of ${task.name} failed: ${(err as Error).message}`);
    }
    const before = task.kind === 'change' ? [] : await k.fingerprint();
    const usageBefore = backend.kind === 'ollama' ? backend.usage() : undefined;
    const driven = await driveRun({
      gatewayUrl: stack.gw.url, operatorToken: tokens.operator, approverToken: tokens.approver, text: task.prompt,
      decide: task.kind === 'change' ? 'approve' : 'reject',
      timeoutMs: backend.kind === 'ollama' ? (backend.timeoutMs ?? 300_000) : 60_000,
    });
    const usage = usageBefore && backend.kind === 'ollama' ? diff(backend.usage(), usageBefore) : undefined;
    const run = driven.run;
    const problems: string[] = driven.error ? [driven.error] : [];
    if (backend.kind === 'ollama' && run?.planner === 'embedded') problems.push('planned by the embedded fallback, not the model');
    if (task.kind === 'change') {
      if (driven.approvals.length === 0) problems.push(`no change waited for approval (run ${run?.status ?? 'missing'}: ${run?.summary.split('\n')[0] ?? ''})`);
      for (const s of run?.steps ?? []) {
        // a mutating step that found nothing to change ("already at 1 replicas") had nothing to approve
        const changed = (s.changes ?? []).some((c) => JSON.stringify(c.before) !== JSON.stringify(c.after));
        if (s.mutates && s.status === 'completed' && changed && s.approvedBy !== 'approver') problems.push(`step ${s.id} (${s.fn}) changed the cluster approved by ${s.approvedBy ?? 'nobody'}, not the person`);
      }
    } else {
      problems.push(...driven.approvals.map((a) => `a ${task.kind} request asked to approve changes (rejected): ${a.changes.join('; ')}`));
      problems.push(...fingerprintChanges(before, await k.fingerprint()));
    }
    try {
      problems.push(...(await task.verify({ k, ...(task.kind === 'change' ? {} : { answer: answerText(run) }) })));
    } catch (err) {
      return { ...fail(`verify of ${task.name} could not read the cluster: ${(err as Error).message}`), wallMs: driven.wallMs };
    }
    return {
      task: task.name, passed: problems.length === 0, problems, approvals: driven.approvals.length, wallMs: driven.wallMs,
      ...(run ? { status: run.status, planner: run.planner } : {}), ...(usage ? { usage } : {}),
    };
  } finally {
    await stack.stop();
  }
}
