/**
 * canary: start version B as `<name>-canary` beside the stable Deployment (the split rule is in
 * releases/canary-split.ts), promote it (the stable gets B's image and its replicas back, the canary goes) or abort it
 * (the canary goes, the stable gets its replicas back). A canary that cannot start (an image the registry does not
 * have) is removed again and the answer says why: nothing is left changed.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { describeChanges } from '../../cluster/change-text.js';
import type { Change } from '../../events/change.js';
import { refOf, type DeploymentRef } from '../../cluster/deployment-lookup.js';
import { patchDeployment } from '../../cluster/deployment-patch.js';
import { imagePatch, planImage } from '../../cluster/image-plan.js';
import { imageVersion, shortImage } from '../../cluster/image-ref.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { waitForRollout } from '../../cluster/rollout-wait.js';
import { failureReason, outcomeData, waitBudgetMs } from '../../function-kit/mutation-step.js';
import { canaryDeployment, canaryName, CANARY_PERCENT, splitFor, STABLE_REPLICAS } from '../../releases/canary-split.js';
import { baselineOf, imageOf, noCanary, readCanaryPair } from '../../releases/canary-read.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

const replicasOf = (d: V1Deployment) => d.spec?.replicas ?? 1;

function changeOf(ref: DeploymentRef, field: string, before: unknown, after: unknown, cluster: string | undefined, container?: string): Change {
  return { object: `deployment/${ref.name}`, namespace: ref.namespace, ...(cluster ? { cluster } : {}), field, ...(container ? { container } : {}), before, after };
}

/** "placemyparents:2.0 × 1 pod (20 % of requests)": a canary as one change value. */
const canaryText = (image: string, pods: number, percent: number | string) => `${shortImage(image)} × ${pods} pod${pods === 1 ? '' : 's'} (${percent}% of requests)`;

async function deleteDeployment(clients: KubeClients, ref: DeploymentRef): Promise<void> {
  await kubeCall(`delete deployment ${ref.namespace}/${ref.name}`, () => clients.apps.deleteNamespacedDeployment({ ...ref, propagationPolicy: 'Background' }), { server: clients.server });
}

async function setReplicas(clients: KubeClients, ref: DeploymentRef, replicas: number, image?: { container: string; image: string }): Promise<void> {
  await patchDeployment(clients, ref, (d) => {
    const sameImage = !image || imageOf(d, image.container) === image.image;
    if (replicasOf(d) === replicas && sameImage) return { plan: undefined, patch: undefined };
    const body = { spec: { replicas, ...(image ? (imagePatch(image.container, image.image).spec as Record<string, unknown>) : {}) } };
    return { plan: undefined, patch: { type: 'strategic', body } };
  });
}

async function start(inp: Input, ctx: FunctionContext, clients: KubeClients): Promise<StepResult> {
  const pair = await readCanaryPair(clients, inp.name, inp.namespace || undefined);
  const ref = refOf(pair.stable);
  if (pair.canary) {
    const running = `${imageVersion(imageOf(pair.canary))} at ${pair.canary.metadata?.annotations?.[CANARY_PERCENT] ?? '?'}%`;
    throw new GanglionError(409, 'canary_running', `a canary of ${ref.namespace}/${ref.name} already runs (${running}); promote or abort it first. Nothing was changed`);
  }
  const plan = planImage(pair.stable, { image: inp.image, tag: inp.tag, container: inp.container });
  if (plan.before === plan.after) throw new GanglionError(400, 'same_version', `${ref.name} already runs ${shortImage(plan.after)}; a canary of the same version has nothing to compare. Nothing was changed`);
  const split = splitFor(replicasOf(pair.stable), inp.percent);
  const canaryRef = { name: canaryName(ref.name), namespace: ref.namespace };
  const changes = [
    changeOf(canaryRef, 'canary', null, canaryText(plan.after, split.canary, split.percent), inp.cluster, plan.container),
    ...(split.stable !== replicasOf(pair.stable) ? [changeOf(ref, 'replicas', replicasOf(pair.stable), split.stable, inp.cluster)] : []),
  ];
  const splitText = `${split.canary} canary pod${split.canary === 1 ? '' : 's'} beside ${split.stable} stable = ${split.percent}% of requests (asked ${inp.percent}%)`;
  if (inp.dryRun) return { summary: `would start a canary: ${describeChanges(changes)}; ${splitText}`, subject: `deployment/${canaryRef.name}`, data: { dryRun: true, changes, split } };

  const baseline = await baselineOf(clients, pair.stable, ctx.config.clusterProxy || undefined, ctx.signal);
  const body = canaryDeployment(pair.stable, { image: plan.after, container: plan.container, replicas: split.canary, percent: split.percent, baseline });
  await kubeCall(`create deployment ${canaryRef.namespace}/${canaryRef.name}`, () => clients.apps.createNamespacedDeployment({ namespace: ref.namespace, body }), { server: clients.server });
  await setReplicas(clients, ref, split.stable);
  const budgetMs = waitBudgetMs(inp.timeoutSeconds, ctx.config.execTimeoutMs);
  const started = ctx.now().getTime();
  const [canaryOut, stableOut] = await Promise.all([canaryRef, ref].map((r) => waitForRollout(clients, r, { timeoutMs: budgetMs, signal: ctx.signal, now: ctx.now })));
  if (canaryOut?.state !== 'done' || stableOut?.state !== 'done') {
    const failed = canaryOut?.state !== 'done' ? canaryOut : stableOut;
    await deleteDeployment(clients, canaryRef);
    await setReplicas(clients, ref, replicasOf(pair.stable));
    const why = failed ? failureReason(failed, ctx.now().getTime() - started) : 'unknown';
    throw new GanglionError(422, 'canary_failed', `the canary ${shortImage(plan.after)} of ${ref.namespace}/${ref.name} could not start: ${why}; it was removed and ${ref.name} is back at ${replicasOf(pair.stable)} replicas of ${shortImage(plan.before)}, so nothing is left changed`, { details: { changes: [], rollout: failed ? outcomeData(failed) : undefined } });
  }
  return {
    summary: `canary started: ${describeChanges(changes)}; ${splitText}. Ask "How is the canary doing?" once it has had traffic`,
    subject: `deployment/${canaryRef.name}`,
    data: { dryRun: false, changes, split, stable: shortImage(plan.before), canary: shortImage(plan.after) },
  };
}

async function finish(inp: Input, ctx: FunctionContext, clients: KubeClients): Promise<StepResult> {
  const pair = await readCanaryPair(clients, inp.name, inp.namespace || undefined);
  if (!pair.canary) throw noCanary(pair.stable);
  const ref = refOf(pair.stable);
  const canaryRef = refOf(pair.canary);
  const promote = inp.action === 'promote';
  const plan = planImage(pair.stable, { image: imageOf(pair.canary, inp.container), container: inp.container });
  const replicas = Number(pair.canary.metadata?.annotations?.[STABLE_REPLICAS] ?? replicasOf(pair.stable)) || replicasOf(pair.stable);
  const changes = [
    ...(promote && plan.before !== plan.after ? [changeOf(ref, 'image', plan.before, plan.after, inp.cluster, plan.container)] : []),
    ...(replicas !== replicasOf(pair.stable) ? [changeOf(ref, 'replicas', replicasOf(pair.stable), replicas, inp.cluster)] : []),
    changeOf(canaryRef, 'canary', canaryText(plan.after, replicasOf(pair.canary), pair.canary.metadata?.annotations?.[CANARY_PERCENT] ?? '?'), null, inp.cluster),
  ];
  const verb = promote ? 'promote' : 'abort';
  if (inp.dryRun) return { summary: `would ${verb} the canary: ${describeChanges(changes)}`, subject: `deployment/${ref.name}`, data: { dryRun: true, changes } };

  await setReplicas(clients, ref, replicas, promote ? { container: plan.container, image: plan.after } : undefined);
  const budgetMs = waitBudgetMs(inp.timeoutSeconds, ctx.config.execTimeoutMs);
  const started = ctx.now().getTime();
  // Promote: the stable rolls out B before the canary goes, so B keeps serving throughout.
  const outcome = await waitForRollout(clients, ref, { timeoutMs: budgetMs, signal: ctx.signal, now: ctx.now });
  if (outcome.state !== 'done') {
    throw new GanglionError(422, 'rollout_failed', `${verb} of the canary of ${ref.namespace}/${ref.name}: the stable did not finish rolling out (${failureReason(outcome, ctx.now().getTime() - started)}); the canary still runs, so requests keep being served`, { details: { changes, rollout: outcomeData(outcome) } });
  }
  await deleteDeployment(clients, canaryRef);
  const serving = promote ? shortImage(plan.after) : shortImage(plan.before);
  return {
    summary: `canary ${promote ? 'promoted' : 'aborted'}: ${describeChanges(changes)}; ${ref.name} serves ${serving} only (${outcome.readyPods}/${outcome.desired} pods ready)`,
    subject: `deployment/${ref.name}`,
    data: { dryRun: false, changes, serving, rollout: outcomeData(outcome) },
  };
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const clients = await ctx.kube.clients(inp.cluster);
  return inp.action === 'start' ? start(inp, ctx, clients) : finish(inp, ctx, clients);
}
