/**
 * "The last deployment": among Deployments that have a previous revision to go back to, the one whose newest
 * ReplicaSet was created most recently (a rollout creates a ReplicaSet; scaling does not).
 */
import { timeOf } from './kube-shapes.js';
import { revisionOf, type ReplicaSetShape } from './workload-shape.js';
import { compareNames } from './name-order.js';

export interface RolloutCandidate {
  namespace: string;
  name: string;
  /** Revisions seen on its ReplicaSets, highest first. */
  revisions: number[];
  /** When its newest ReplicaSet appeared (ms since epoch). */
  lastRolloutMs: number;
}

/** Groups ReplicaSets by the Deployment controlling them. */
export function rolloutCandidates(replicaSets: readonly ReplicaSetShape[]): RolloutCandidate[] {
  const byOwner = new Map<string, RolloutCandidate>();
  for (const rs of replicaSets) {
    const owner = (rs.metadata?.ownerReferences ?? []).find((o) => o.controller === true && o.kind === 'Deployment');
    if (!owner) continue;
    const namespace = rs.metadata?.namespace ?? 'default';
    const key = `${namespace}/${owner.uid}`;
    const c = byOwner.get(key) ?? { namespace, name: owner.name, revisions: [], lastRolloutMs: 0 };
    const rev = revisionOf(rs);
    if (rev !== undefined && rev > 0) c.revisions.push(rev);
    c.lastRolloutMs = Math.max(c.lastRolloutMs, timeOf(rs.metadata?.creationTimestamp));
    byOwner.set(key, c);
  }
  return [...byOwner.values()].map((c) => ({ ...c, revisions: [...new Set(c.revisions)].sort((a, b) => b - a) }));
}

/** The Deployment rolled out most recently that can be rolled back (two revisions or more); undefined when none. */
export function pickLastRollout(replicaSets: readonly ReplicaSetShape[]): RolloutCandidate | undefined {
  return rolloutCandidates(replicaSets)
    .filter((c) => c.revisions.length >= 2)
    .sort((a, b) => b.lastRolloutMs - a.lastRolloutMs || (b.revisions[0] ?? 0) - (a.revisions[0] ?? 0) || compareNames(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))[0];
}
