/**
 * Writes to a Deployment with optimistic concurrency: each patch carries the resourceVersion it was computed
 * from, so a concurrent change answers 409 Conflict; then the Deployment is re-read and the patch recomputed,
 * a bounded number of times.
 */
import type { V1Deployment } from '@kubernetes/client-node';
// the two small modules themselves, not the package index (which would put all of client-node in the bundle's first chunk)
import { PatchStrategy } from '@kubernetes/client-node/dist/patch.js';
import { setHeaderOptions } from '@kubernetes/client-node/dist/middleware.js';
import { GanglionError } from '../kernel/errors.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import { readDeployment, type DeploymentRef } from './deployment-lookup.js';
import type { JsonPatchOp } from './rollout-undo.js';

export type DeploymentPatch =
  | { type: 'strategic'; body: Record<string, unknown> }
  | { type: 'merge'; body: Record<string, unknown> }
  | { type: 'json'; body: JsonPatchOp[] };

const CONTENT_TYPE = {
  strategic: PatchStrategy.StrategicMergePatch,
  merge: PatchStrategy.MergePatch,
  json: PatchStrategy.JsonPatch,
} as const;

/** Adds the resourceVersion precondition to a patch (the API server answers 409 when it is stale). */
export function withPrecondition(patch: DeploymentPatch, resourceVersion: string | undefined): DeploymentPatch {
  if (!resourceVersion) return patch;
  if (patch.type === 'json') return { type: 'json', body: [...patch.body, { op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion }] };
  const metadata = { ...((patch.body.metadata as Record<string, unknown> | undefined) ?? {}), resourceVersion };
  return { type: patch.type, body: { ...patch.body, metadata } };
}

export interface PatchOutcome<P> {
  /** The Deployment the applied patch was computed from. */
  before: V1Deployment;
  after: V1Deployment;
  /** What `build` returned for `before`. */
  plan: P;
  attempts: number;
}

/**
 * Reads the Deployment, lets `build` compute a plan and its patch from it, applies the patch; on 409 starts over.
 * `build` may throw (e.g. a paused Deployment) or return patch undefined (nothing to change: no write).
 */
export async function patchDeployment<P>(
  clients: KubeClients,
  ref: DeploymentRef,
  build: (current: V1Deployment) => { plan: P; patch: DeploymentPatch | undefined },
  { attempts = 4, first }: { attempts?: number; first?: V1Deployment } = {},
): Promise<PatchOutcome<P>> {
  let current = first ?? (await readDeployment(clients, ref));
  for (let attempt = 1; ; attempt++) {
    const { plan, patch } = build(current);
    if (!patch) return { before: current, after: current, plan, attempts: attempt };
    const sent = withPrecondition(patch, current.metadata?.resourceVersion);
    try {
      const after = await kubeCall(
        `patch deployment ${ref.namespace}/${ref.name}`,
        () => clients.apps.patchNamespacedDeployment({ ...ref, body: sent.body }, setHeaderOptions('Content-Type', CONTENT_TYPE[sent.type])),
        { server: clients.server },
      );
      return { before: current, after, plan, attempts: attempt };
    } catch (err) {
      if (!(err instanceof GanglionError) || err.code !== 'conflict') throw err;
      if (attempt >= attempts) {
        throw new GanglionError(409, 'conflict', `deployment ${ref.namespace}/${ref.name} kept changing while we wrote it (409 Conflict ${attempt} times); someone else is editing it, try again in a moment`, { cause: err });
      }
      current = await readDeployment(clients, ref);
    }
  }
}
