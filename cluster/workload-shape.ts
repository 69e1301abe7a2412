/** The parts of Deployments, ReplicaSets and Pods that rollout logic reads, on kube-shapes.ts's metadata and timestamps. */
import type { ObjectMeta, Timestamp } from './kube-shapes.js';

export interface ContainerShape {
  name: string;
  image?: string;
}

export interface PodTemplateShape {
  metadata?: ObjectMeta;
  spec?: { containers: ContainerShape[] };
}

export interface ConditionShape {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: Timestamp;
  lastTransitionTime?: Timestamp;
}

export interface DeploymentShape {
  metadata?: ObjectMeta;
  spec?: {
    replicas?: number;
    paused?: boolean;
    selector?: { matchLabels?: Record<string, string> };
    template: PodTemplateShape;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: ConditionShape[];
  };
}

export interface ReplicaSetShape {
  metadata?: ObjectMeta;
  spec?: { replicas?: number; template?: PodTemplateShape };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface ContainerStatusShape {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: object;
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

export interface PodShape {
  metadata?: ObjectMeta;
  spec?: { containers: ContainerShape[] };
  status?: {
    phase?: string;
    conditions?: ConditionShape[];
    containerStatuses?: ContainerStatusShape[];
  };
}

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** The revision annotation as kubectl reads it: missing = 0, unparsable = undefined (skipped). */
export function revisionOf(obj: { metadata?: ObjectMeta }): number | undefined {
  const raw = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (raw === undefined) return 0;
  return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Whether obj's controller ownerReference points at the owner (by uid). */
export function isControlledBy(obj: { metadata?: ObjectMeta }, owner: { metadata?: ObjectMeta }): boolean {
  const uid = owner.metadata?.uid;
  return Boolean(uid) && (obj.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid);
}
