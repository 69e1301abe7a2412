/** deploy: set a container's image, wait for the rollout, verify pods Ready; on failure say what failed and roll back. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { describeChanges } from '../../cluster/change-text.js';
import type { Change } from '../../events/change.js';
import { findDeployment, refOf, type DeploymentRef } from '../../cluster/deployment-lookup.js';
import { patchDeployment } from '../../cluster/deployment-patch.js';
import { imagePatch, planImage, type ImagePlan } from '../../cluster/image-plan.js';
import { imageVersion, shortImage } from '../../cluster/image-ref.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { failureReason, outcomeData, readyText, rolloutFailed, waitBudgetMs } from '../../function-kit/mutation-step.js';
import { waitForRollout, type RolloutOutcome } from '../../cluster/rollout-wait.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

function imageChange(ref: DeploymentRef, plan: ImagePlan, cluster: string | undefined): Change {
  return { object: `deployment/${ref.name}`, namespace: ref.namespace, ...(cluster ? { cluster } : {}), field: 'image', container: plan.container, before: plan.before, after: plan.after };
}

/** Puts the image we replaced back, unless someone changed it since; then waits for that rollout too. */
async function rollBack(clients: KubeClients, ref: DeploymentRef, plan: ImagePlan, budgetMs: number, ctx: FunctionContext): Promise<{ text: string; outcome?: RolloutOutcome }> {
  const reverted = await patchDeployment(clients, ref, (d) => {
    const current = d.spec?.template.spec?.containers.find((c) => c.name === plan.container)?.image;
    return { plan: current, patch: current === plan.after ? { type: 'strategic', body: imagePatch(plan.container, plan.before) } : undefined };
  });
  if (reverted.plan !== plan.after) return { text: `not rolled back: the image was changed to ${reverted.plan} meanwhile` };
  const outcome = await waitForRollout(clients, ref, { timeoutMs: budgetMs, signal: ctx.signal, now: ctx.now });
  const to = imageVersion(plan.before);
  if (outcome.state === 'done') return { text: `rolled back to ${to}`, outcome };
  return { text: `rolled back to ${to}, but that rollout has not finished either: ${failureReason(outcome, budgetMs)}`, outcome };
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const clients = await ctx.kube.clients(inp.cluster);
  const found = await findDeployment(clients, inp.name, inp.namespace || undefined);
  const ref = refOf(found);
  const subject = `deployment/${ref.name}`;
  const target = { image: inp.image, tag: inp.tag, container: inp.container };
  if (inp.dryRun) {
    const changes = [imageChange(ref, planImage(found, target), inp.cluster)];
    const noop = changes[0]?.before === changes[0]?.after;
    const summary = noop ? `${subject} (${ref.namespace}) already runs ${shortImage(String(changes[0]?.after))}; nothing would change` : `would set ${describeChanges(changes)}`;
    return { summary, subject, data: { dryRun: true, changes } };
  }

  const written = await patchDeployment(clients, ref, (d) => {
    const plan = planImage(d, target);
    return { plan, patch: plan.before === plan.after ? undefined : { type: 'strategic', body: imagePatch(plan.container, plan.after) } };
  }, { first: found });
  const plan = written.plan;
  const changes = [imageChange(ref, plan, inp.cluster)];
  const budgetMs = waitBudgetMs(inp.timeoutSeconds, ctx.config.execTimeoutMs);
  const started = ctx.now().getTime();
  const outcome = await waitForRollout(clients, ref, { timeoutMs: budgetMs, signal: ctx.signal, now: ctx.now });
  const applied = plan.before === plan.after ? `${subject} (${ref.namespace}) already ran ${shortImage(plan.after)}` : `set ${describeChanges(changes)}`;
  if (outcome.state === 'done') {
    return { summary: `${applied}; rolled out, ${readyText(outcome)}`, subject, data: { dryRun: false, changes, rollout: outcomeData(outcome), revision: outcome.deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'] } };
  }

  const reason = failureReason(outcome, ctx.now().getTime() - started);
  let message = `rollout of ${ref.name} to ${imageVersion(plan.after)} failed: ${reason}`;
  let rollback: { text: string; outcome?: RolloutOutcome } | undefined;
  if (inp.rollbackOnFailure && plan.before !== plan.after) {
    rollback = await rollBack(clients, ref, plan, budgetMs, ctx);
    message += `; ${rollback.text}`;
  } else if (plan.before !== plan.after) {
    message += `; left at ${imageVersion(plan.after)} (rollbackOnFailure is off): kubectl rollout undo deployment/${ref.name} -n ${ref.namespace} goes back`;
  }
  throw rolloutFailed(message, {
    changes,
    rollout: outcomeData(outcome),
    rolledBack: rollback?.outcome?.state === 'done',
    ...(rollback?.outcome ? { rollback: outcomeData(rollback.outcome) } : {}),
  });
}
