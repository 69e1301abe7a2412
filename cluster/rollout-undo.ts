/**
 * `kubectl rollout undo` for a Deployment as a pure plan (kubectl polymorphichelpers/rollback.go): pick the
 * ReplicaSet of the wanted revision, skip when the template already matches, else build the JSON patch.
 */
import { GanglionError } from '../kernel/errors.js';
import { canonicalJson } from '../kernel/canonical-json.js';
import {
  POD_TEMPLATE_HASH, isControlledBy, revisionOf,
  type DeploymentShape, type PodTemplateShape, type ReplicaSetShape,
} from './workload-shape.js';

/** Annotations that stay the Deployment's own; every other one comes from the ReplicaSet (kubectl annotationsToSkip). */
export const ANNOTATIONS_KEPT_ON_ROLLBACK: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

export type JsonPatchOp = { op: 'replace' | 'add' | 'remove' | 'test'; path: string; value?: unknown };

export interface RollbackPlan {
  /** 'skip' when the Deployment already runs the wanted template (kubectl: "skipped rollback"). */
  action: 'rollback' | 'skip';
  name: string;
  /** The revision whose template comes back. */
  toRevision: number;
  /** The Deployment's revision now. */
  fromRevision: number;
  /** The template the Deployment gets (pod-template-hash removed). */
  template: PodTemplateShape;
  annotations: Record<string, string>;
  /** The JSON patch kubectl sends (empty when skipped). */
  patch: JsonPatchOp[];
  /** kubectl's words: "rolled back" or "skipped rollback (current template already matches revision N)". */
  message: string;
}

/** Drops undefined/null and empty maps/lists, so nil and empty compare equal (apimachinery's Semantic.DeepEqual). */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(normalise).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = normalise((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value === null ? undefined : value;
}

/** A deep copy of the template without the pod-template-hash label. */
export function templateWithoutHash(template: PodTemplateShape | undefined): PodTemplateShape {
  const copy = structuredClone(template ?? {}) as PodTemplateShape;
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH];
  return copy;
}

/** kubectl's EqualIgnoreHash: templates equal once pod-template-hash is ignored. */
export function templatesEqualIgnoringHash(a: PodTemplateShape | undefined, b: PodTemplateShape | undefined): boolean {
  return canonicalJson(normalise(templateWithoutHash(a))) === canonicalJson(normalise(templateWithoutHash(b)));
}

/** The ReplicaSets this Deployment controls (controller ownerReference with its uid). */
export function ownedReplicaSets<R extends ReplicaSetShape>(deployment: DeploymentShape, replicaSets: readonly R[]): R[] {
  return replicaSets.filter((rs) => isControlledBy(rs, deployment));
}

/** kubectl deploymentRevision(): toRevision 0 = the second-highest revision, else exactly that revision. */
export function replicaSetForRevision<R extends ReplicaSetShape>(deployment: DeploymentShape, replicaSets: readonly R[], toRevision: number): R {
  const name = deployment.metadata?.name ?? '';
  if (!Number.isInteger(toRevision) || toRevision < 0) throw revisionNotFound(name, toRevision);
  let latest: { rs: R; rev: number } | undefined;
  let previous: { rs: R; rev: number } | undefined;
  for (const rs of ownedReplicaSets(deployment, replicaSets)) {
    const rev = revisionOf(rs);
    if (rev === undefined) continue;
    if (toRevision > 0) {
      if (rev === toRevision) return rs;
      continue;
    }
    if (!latest || latest.rev < rev) {
      previous = latest;
      latest = { rs, rev };
    } else if (!previous || previous.rev < rev) {
      previous = { rs, rev };
    }
  }
  if (toRevision > 0) throw revisionNotFound(name, toRevision);
  if (!previous) throw new GanglionError(409, 'no_rollout_history', `no rollout history found for deployment "${name}"`);
  return previous.rs;
}

function revisionNotFound(name: string, revision: number): GanglionError {
  return new GanglionError(404, 'revision_not_found', `unable to find specified revision ${revision} in history of deployment "${name}"; see kubectl rollout history deployment/${name}`);
}

/** The whole undo: which ReplicaSet, whether to skip, the annotations and the JSON patch (rollback.go Rollback()). */
export function planRollback(deployment: DeploymentShape, replicaSets: readonly ReplicaSetShape[], toRevision = 0): RollbackPlan {
  const name = deployment.metadata?.name ?? '';
  const rs = replicaSetForRevision(deployment, replicaSets, toRevision);
  const revision = revisionOf(rs) ?? 0;
  const fromRevision = revisionOf(deployment) ?? 0;
  if (deployment.spec?.paused) {
    throw new GanglionError(409, 'deployment_paused', `you cannot roll back paused deployment "${name}"; resume it first with kubectl rollout resume deployment/${name} and try again`);
  }
  const template = templateWithoutHash(rs.spec?.template);
  const base = { name, toRevision: revision, fromRevision, template };
  if (templatesEqualIgnoringHash(rs.spec?.template, deployment.spec?.template)) {
    // kubectl prints the revision asked for (0 for "previous"); we name the one that matched.
    return { ...base, action: 'skip', annotations: { ...(deployment.metadata?.annotations ?? {}) }, patch: [], message: `skipped rollback (current template already matches revision ${revision})` };
  }
  const annotations: Record<string, string> = {};
  const own = deployment.metadata?.annotations ?? {};
  for (const key of ANNOTATIONS_KEPT_ON_ROLLBACK) if (own[key] !== undefined) annotations[key] = own[key];
  for (const [key, value] of Object.entries(rs.metadata?.annotations ?? {})) {
    if (!ANNOTATIONS_KEPT_ON_ROLLBACK.includes(key)) annotations[key] = value;
  }
  const patch: JsonPatchOp[] = [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
  return { ...base, action: 'rollback', annotations, patch, message: 'rolled back' };
}
