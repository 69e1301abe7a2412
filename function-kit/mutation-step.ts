/**
 * What the Deployment-changing functions (deploy, rollback, scale, restart) share: the input fields every one
 * of them takes, the time budget of a rollout wait, and the sentences that report a rollout's outcome.
 */
import * as z from 'zod';
import { GanglionError } from '../kernel/errors.js';
import type { KubeGrant } from './function-module.js';
import { clusterField, namespaceField } from './cluster-input.js';
import type { Change } from '../events/change.js';
import { describeTroubles } from '../cluster/rollout-trouble.js';
import type { RolloutOutcome } from '../cluster/rollout-wait.js';

/** Fields of every mutating Deployment step (the approval covers them as parsed, defaults included). */
export const targetFields = {
  namespace: namespaceField,
  cluster: clusterField,
  dryRun: z.boolean().default(false).describe('Only show what would change; changes nothing and needs no approval'),
};

/**
 * What each of them calls on the Kubernetes API (find the Deployment, patch it, watch its ReplicaSets and pods
 * roll out); k8s/10-rbac-functions.yaml grants exactly this and test/production checks it against the code.
 */
export const rolloutGrants: KubeGrant[] = [
  { apiGroup: 'apps', resources: ['deployments'], verbs: ['get', 'list', 'patch'] },
  { apiGroup: 'apps', resources: ['replicasets'], verbs: ['list'] },
  { apiGroup: '', resources: ['pods'], verbs: ['list'] },
];

/**
 * What the host's approval check needs of every mutating function (host/approval-token.ts spendApproval): read the
 * Approval object the planner recorded, and mark it spent.
 */
export const approvalGrants: KubeGrant[] = [
  { apiGroup: 'ganglion.dev', resources: ['approvals'], verbs: ['get', 'update'] },
];

export const timeoutField = (defaultSeconds: number) =>
  z.number().int().min(1).max(1800).default(defaultSeconds).describe('How long to wait for the rollout to finish, in seconds');

/** The rollout wait gets at most half the function's exec_timeout, so a rollback still fits in the other half. */
export function waitBudgetMs(timeoutSeconds: number, execTimeoutMs: number): number {
  return Math.max(1000, Math.min(timeoutSeconds * 1000, Math.floor(execTimeoutMs / 2) - 1000));
}

/** "3/3 pods ready" */
export function readyText(outcome: RolloutOutcome): string {
  return `${outcome.readyPods}/${outcome.desired} pod${outcome.desired === 1 ? '' : 's'} ready`;
}

/** Why a rollout did not finish, most concrete reason first. */
export function failureReason(outcome: RolloutOutcome, waitedMs: number): string {
  const troubles = outcome.troubles.length ? describeTroubles(outcome.troubles, outcome.desired) : '';
  if (outcome.state === 'timeout') {
    return `${troubles ? `${troubles}; ` : ''}not finished after ${Math.round(waitedMs / 1000)} s (${outcome.status})`;
  }
  return troubles || outcome.status;
}

/** The public shape of an outcome in `data`. */
export function outcomeData(outcome: RolloutOutcome) {
  return { state: outcome.state, status: outcome.status, readyPods: outcome.readyPods, desired: outcome.desired, troubles: outcome.troubles };
}

/** A failed step: the message says exactly what failed, details carry the changes and outcomes. */
export function rolloutFailed(message: string, details: { changes: Change[] } & Record<string, unknown>): GanglionError {
  // 422, not 5xx: a failed rollout is a final answer, and gateways retry 5xx.
  return new GanglionError(422, 'rollout_failed', message, { details });
}
