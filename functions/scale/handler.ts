/** scale: current → wanted replicas on one Deployment or every match of a label selector, then wait until ready. */
import type { V1Deployment } from '@kubernetes/client-node';
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { describeChanges } from '../../cluster/change-text.js';
import type { Change } from '../../events/change.js';
import { findDeployment, findDeploymentsBySelector, refOf } from '../../cluster/deployment-lookup.js';
import { patchDeployment } from '../../cluster/deployment-patch.js';
import { failureReason, outcomeData, rolloutFailed, waitBudgetMs } from '../../function-kit/mutation-step.js';
import { waitForRollout } from '../../cluster/rollout-wait.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

function replicaChange(d: V1Deployment, after: number, cluster: string | undefined): Change {
  const { name, namespace } = refOf(d);
  return { object: `deployment/${name}`, namespace, ...(cluster ? { cluster } : {}), field: 'replicas', before: d.spec?.replicas ?? 1, after };
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const clients = await ctx.kube.clients(inp.cluster);
  const namespace = inp.namespace || undefined;
  const targets = inp.name ? [await findDeployment(clients, inp.name, namespace)] : await findDeploymentsBySelector(clients, inp.selector as string, namespace);
  const subject = targets.length === 1 ? `deployment/${targets[0]?.metadata?.name}` : `deployments/${inp.selector}`;
  if (inp.dryRun) {
    const changes = targets.map((d) => replicaChange(d, inp.replicas, inp.cluster));
    const moving = changes.filter((c) => c.before !== c.after);
    const summary = moving.length ? `would set ${describeChanges(moving)}` : `${changes.map((c) => c.object).join(', ')} already at ${inp.replicas} replicas; nothing would change`;
    return { summary, subject, data: { dryRun: true, changes } };
  }

  // Write every target first, then wait for all of them together.
  const written = await Promise.all(targets.map((d) => patchDeployment(clients, refOf(d), (cur) => {
    const change = replicaChange(cur, inp.replicas, inp.cluster);
    return { plan: change, patch: change.before === change.after ? undefined : { type: 'merge', body: { spec: { replicas: inp.replicas } } } };
  }, { first: d })));
  const changes = written.map((w) => w.plan);
  const budgetMs = waitBudgetMs(inp.timeoutSeconds, ctx.config.execTimeoutMs);
  const started = ctx.now().getTime();
  const outcomes = await Promise.all(written.map((w) => waitForRollout(clients, refOf(w.before), { timeoutMs: budgetMs, signal: ctx.signal, now: ctx.now })));
  const rollouts = outcomes.map((o, i) => ({ object: changes[i]?.object, namespace: changes[i]?.namespace, ...outcomeData(o) }));
  const ready = outcomes.reduce((n, o) => n + o.readyPods, 0);
  const wanted = outcomes.reduce((n, o) => n + o.desired, 0);
  const failed = outcomes.map((o, i) => ({ o, c: changes[i] as Change })).filter(({ o }) => o.state !== 'done');
  if (failed.length === 0) {
    return { summary: `set ${describeChanges(changes)}; ${ready}/${wanted} pods ready`, subject, data: { dryRun: false, changes, rollouts } };
  }
  const why = failed.map(({ o, c }) => `${c.object} (${c.namespace}): ${failureReason(o, ctx.now().getTime() - started)}`).join('; ');
  throw rolloutFailed(`scaled to ${inp.replicas} replicas, but ${failed.length} of ${outcomes.length} deployment${outcomes.length === 1 ? '' : 's'} did not become ready: ${why}`, { changes, rollouts });
}
