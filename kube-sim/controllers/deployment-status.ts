/** A Deployment's status block — counts and the Available/Progressing conditions `kubectl rollout status` reads. */
import type { KubeObject } from '../store.js';

export interface DeploymentCondition { type: string; status: 'True' | 'False'; lastUpdateTime: string; lastTransitionTime: string; reason: string; message: string }
interface RsStatus { replicas?: number; readyReplicas?: number; availableReplicas?: number }

const count = (rs: KubeObject, field: keyof RsStatus) => ((rs.status ?? {}) as RsStatus)[field] ?? 0;
const specReplicas = (rs: KubeObject) => ((rs.spec ?? {}) as { replicas?: number }).replicas ?? 0;

function condition(previous: DeploymentCondition[], next: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>, now: string, touch: boolean): DeploymentCondition {
  const before = previous.find((c) => c.type === next.type);
  const same = before && before.status === next.status && before.reason === next.reason && before.message === next.message;
  return {
    ...next,
    lastUpdateTime: same && !touch ? before.lastUpdateTime : now,
    lastTransitionTime: before && before.status === next.status ? before.lastTransitionTime : now,
  };
}

export interface StatusInput {
  deployment: KubeObject;
  newRs: KubeObject;
  oldRses: KubeObject[];
  maxUnavailable: number;
  /** a new ReplicaSet was created in this sync */
  created: boolean;
  now: number;
  progressSecondMs: number;
}

/** The next status; `deadlineAt` is when the Progressing condition would time out, if it can. */
export function deploymentStatus(input: StatusInput): { status: Record<string, unknown>; deadlineAt?: number } {
  const { deployment, newRs, oldRses, maxUnavailable, now } = input;
  const spec = (deployment.spec ?? {}) as { replicas?: number; progressDeadlineSeconds?: number; paused?: boolean };
  const replicas = spec.replicas ?? 1;
  const all = [newRs, ...oldRses];
  const previous = (deployment.status ?? {}) as { conditions?: DeploymentCondition[]; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; replicas?: number; collisionCount?: number };
  const prevConditions = previous.conditions ?? [];
  const sum = (field: keyof RsStatus) => all.reduce((n, rs) => n + count(rs, field), 0);
  const counts = {
    replicas: sum('replicas'),
    updatedReplicas: count(newRs, 'replicas'),
    readyReplicas: sum('readyReplicas'),
    availableReplicas: sum('availableReplicas'),
    unavailableReplicas: Math.max(0, all.reduce((n, rs) => n + specReplicas(rs), 0) - sum('availableReplicas')),
  };
  const time = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const rsName = newRs.metadata.name;
  const available = counts.availableReplicas >= replicas - maxUnavailable
    ? { type: 'Available', status: 'True' as const, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False' as const, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  const complete = counts.updatedReplicas === replicas && counts.replicas === replicas && counts.availableReplicas === replicas && oldRses.every((rs) => count(rs, 'replicas') === 0);
  const progressed = counts.updatedReplicas > (previous.updatedReplicas ?? 0) || counts.readyReplicas > (previous.readyReplicas ?? 0) ||
    counts.availableReplicas > (previous.availableReplicas ?? 0) || (counts.replicas < (previous.replicas ?? 0) && !complete);
  const before = prevConditions.find((c) => c.type === 'Progressing');
  const deadlineSeconds = spec.progressDeadlineSeconds ?? 600;
  let progressing: DeploymentCondition;
  let deadlineAt: number | undefined;
  if (complete) {
    progressing = condition(prevConditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }, time, false);
  } else if (input.created) {
    progressing = condition(prevConditions, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` }, time, true);
  } else if (progressed || !before || before.reason === 'NewReplicaSetAvailable' || !before.message.includes(`"${rsName}"`)) {
    progressing = condition(prevConditions, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, time, true);
  } else if (before.reason !== 'ProgressDeadlineExceeded' && Date.parse(before.lastUpdateTime) + deadlineSeconds * input.progressSecondMs <= now) {
    progressing = condition(prevConditions, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }, time, true);
  } else {
    progressing = before;
  }
  if (progressing.status === 'True' && progressing.reason !== 'NewReplicaSetAvailable' && !spec.paused) {
    deadlineAt = Date.parse(progressing.lastUpdateTime) + deadlineSeconds * input.progressSecondMs + 1;
  }
  const status: Record<string, unknown> = { observedGeneration: deployment.metadata.generation ?? 1 };
  for (const [k, v] of Object.entries(counts)) if (v > 0) status[k] = v;
  status.conditions = [condition(prevConditions, available, time, false), progressing];
  if (previous.collisionCount) status.collisionCount = previous.collisionCount;
  return { status, ...(deadlineAt !== undefined ? { deadlineAt } : {}) };
}
