/**
 * restart: kubectl's objectrestarter — a strategic merge patch of the pod template's
 * kubectl.kubernetes.io/restartedAt annotation, so the Deployment rolls every pod; refuses paused Deployments.
 */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { describeChanges } from '../../cluster/change-text.js';
import { findDeployment, refOf } from '../../cluster/deployment-lookup.js';
import { patchDeployment } from '../../cluster/deployment-patch.js';
import { failureReason, outcomeData, readyText, rolloutFailed, waitBudgetMs } from '../../function-kit/mutation-step.js';
import { waitForRollout } from '../../cluster/rollout-wait.js';
import { planRestart, restartStamp } from '../../cluster/rollout-restart.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const clients = await ctx.kube.clients(inp.cluster);
  const found = await findDeployment(clients, inp.name, inp.namespace || undefined);
  const ref = refOf(found);
  const subject = `deployment/${ref.name}`;
  const stamp = restartStamp(ctx.now());
  if (inp.dryRun) {
    const { change } = planRestart(found, stamp, inp.cluster);
    return { summary: `would restart ${subject} (${ref.namespace}): every pod replaced by a rolling update (${describeChanges([change])})`, subject, data: { dryRun: true, changes: [change] } };
  }
  const written = await patchDeployment(clients, ref, (d) => {
    const { change, patch } = planRestart(d, stamp, inp.cluster);
    return { plan: change, patch: { type: 'strategic', body: patch } };
  }, { first: found });
  const changes = [written.plan];
  const budgetMs = waitBudgetMs(inp.timeoutSeconds, ctx.config.execTimeoutMs);
  const started = ctx.now().getTime();
  const outcome = await waitForRollout(clients, ref, { timeoutMs: budgetMs, signal: ctx.signal, now: ctx.now });
  const data = { dryRun: false, changes, rollout: outcomeData(outcome) };
  if (outcome.state === 'done') return { summary: `restarted ${subject} (${ref.namespace}); ${readyText(outcome)}`, subject, data };
  throw rolloutFailed(`restart of ${ref.name} did not finish: ${failureReason(outcome, ctx.now().getTime() - started)}`, data);
}
