/** `kubectl rollout status` for a Deployment as a pure function (kubectl polymorphichelpers/rollout_status.go). */
import { revisionOf, type DeploymentShape } from './workload-shape.js';

export type RolloutState = 'done' | 'waiting' | 'failed';

export interface RolloutStatus {
  state: RolloutState;
  /** kubectl's sentence, without the trailing newline. */
  message: string;
}

/** Set by the Deployment controller on the Progressing condition once progressDeadlineSeconds passed. */
export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

/**
 * One look at a Deployment: done, still waiting (and on what), or failed. `revision` > 0 insists that the
 * Deployment runs that revision, as `kubectl rollout status --revision` does.
 */
export function rolloutStatus(deployment: DeploymentShape, revision = 0): RolloutStatus {
  const name = deployment.metadata?.name ?? '';
  if (revision > 0) {
    const running = revisionOf(deployment);
    if (running === undefined) return { state: 'failed', message: `cannot get the revision of deployment "${name}"` };
    if (running !== revision) return { state: 'failed', message: `desired revision (${revision}) is different from the running revision (${running})` };
  }
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if (generation > (status.observedGeneration ?? 0)) {
    return { state: 'waiting', message: 'Waiting for deployment spec update to be observed...' };
  }
  const progressing = (status.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) {
    return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  }
  const wanted = deployment.spec?.replicas;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (wanted !== undefined && updated < wanted) {
    return { state: 'waiting', message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...` };
  }
  if (total > updated) {
    return { state: 'waiting', message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...` };
  }
  if (available < updated) {
    return { state: 'waiting', message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  }
  return { state: 'done', message: `deployment "${name}" successfully rolled out` };
}
