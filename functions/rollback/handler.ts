/** rollback: kubectl rollout undo for a Deployment (previous or given revision), then wait for the rollout. */
import type { V1Deployment } from '@kubernetes/client-node';
import type { z } from 'zod';
import { GanglionError } from '../../kernel/errors.js';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { describeValues } from '../../cluster/change-text.js';
import type { Change } from '../../events/change.js';
import { findDeployment, refOf, replicaSetsOf, type DeploymentRef } from '../../cluster/deployment-lookup.js';
import { patchDeployment } from '../../cluster/deployment-patch.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { pickLastRollout } from '../../cluster/last-rollout.js';
import { failureReason, outcomeData, readyText, rolloutFailed, waitBudgetMs } from '../../function-kit/mutation-step.js';
import { planRollback, type RollbackPlan } from '../../cluster/rollout-undo.js';
import { waitForRollout } from '../../cluster/rollout-wait.js';
import type { PodTemplateShape } from '../../cluster/workload-shape.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

/** "The last deployment": the Deployment whose newest ReplicaSet appeared last, among those with history. */
async function lastRolledOut(clients: KubeClients, namespace: string | undefined): Promise<V1Deployment> {
  const opts = { server: clients.server };
  const list = namespace
    ? await kubeCall(`list replicasets in namespace ${namespace}`, () => clients.apps.listNamespacedReplicaSet({ namespace }), opts)
    : await kubeCall('list replicasets in all namespaces', () => clients.apps.listReplicaSetForAllNamespaces({}), opts);
  const last = pickLastRollout(list.items);
  if (!last) {
    throw new GanglionError(404, 'no_rollout_history', `no deployment ${namespace ? `in namespace ${namespace} ` : ''}has a previous revision to roll back to (context ${clients.context}); name one, or deploy first`);
  }
  return findDeployment(clients, last.name, last.namespace);
}

/** Image changes container by container; a template change without one shows as a revision change. */
function changesOf(ref: DeploymentRef, current: PodTemplateShape | undefined, plan: RollbackPlan, cluster: string | undefined): Change[] {
  const base = { object: `deployment/${ref.name}`, namespace: ref.namespace, ...(cluster ? { cluster } : {}) };
  const now = current?.spec?.containers ?? [];
  const changes: Change[] = [];
  for (const c of plan.template.spec?.containers ?? []) {
    const before = now.find((n) => n.name === c.name)?.image ?? null;
    if (before !== (c.image ?? null)) changes.push({ ...base, field: 'image', container: c.name, before, after: c.image ?? null });
  }
  if (changes.length === 0) changes.push({ ...base, field: 'template', before: `revision ${plan.fromRevision}`, after: `revision ${plan.toRevision}` });
  return changes;
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const clients = await ctx.kube.clients(inp.cluster);
  const namespace = inp.namespace || undefined;
  const found = inp.name ? await findDeployment(clients, inp.name, namespace) : await lastRolledOut(clients, namespace);
  const ref = refOf(found);
  const subject = `deployment/${ref.name}`;
  const history = await replicaSetsOf(clients, found);
  const first = planRollback(found, history, inp.toRevision);
  if (first.action === 'skip') {
    // One no-op change (before = after), so a planner sees there is nothing to approve.
    const same = `revision ${first.toRevision}`;
    const changes: Change[] = [{ object: subject, namespace: ref.namespace, ...(inp.cluster ? { cluster: inp.cluster } : {}), field: 'template', before: same, after: same }];
    return { summary: `${subject} (${ref.namespace}): ${first.message}; nothing to roll back`, subject, data: { dryRun: inp.dryRun, skipped: true, changes, revision: first.toRevision } };
  }
  if (inp.dryRun) {
    const changes = changesOf(ref, found.spec?.template, first, inp.cluster);
    return { summary: `would roll back ${subject} (${ref.namespace}) from revision ${first.fromRevision} to revision ${first.toRevision}: ${describeValues(changes)}`, subject, data: { dryRun: true, changes, fromRevision: first.fromRevision, toRevision: first.toRevision } };
  }

  const written = await patchDeployment(clients, ref, (d) => {
    const plan = planRollback(d, history, inp.toRevision);
    return { plan, patch: plan.action === 'skip' ? undefined : { type: 'json', body: plan.patch } };
  }, { first: found });
  const plan = written.plan;
  const changes = changesOf(ref, written.before.spec?.template, plan, inp.cluster);
  const budgetMs = waitBudgetMs(inp.timeoutSeconds, ctx.config.execTimeoutMs);
  const started = ctx.now().getTime();
  const outcome = await waitForRollout(clients, ref, { timeoutMs: budgetMs, signal: ctx.signal, now: ctx.now });
  const data = { dryRun: false, changes, fromRevision: plan.fromRevision, toRevision: plan.toRevision, rollout: outcomeData(outcome) };
  if (outcome.state === 'done') {
    return { summary: `rolled back ${subject} (${ref.namespace}) to revision ${plan.toRevision}: ${describeValues(changes)}; ${readyText(outcome)}`, subject, data };
  }
  throw rolloutFailed(`rollback of ${ref.name} to revision ${plan.toRevision} did not finish: ${failureReason(outcome, ctx.now().getTime() - started)}`, data);
}
