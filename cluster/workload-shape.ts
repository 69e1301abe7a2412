/**
 * The parts of Deployments, ReplicaSets and Pods that rollout logic reads, typed loosely enough that both wire
 * JSON (timestamps as strings) and @kubernetes/client-node objects (timestamps as Date) fit.
 */

export type Timestamp = string | Date;

export interface OwnerRef {
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: Timestamp;
  deletionTimestamp?: Timestamp;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerRef[];
}

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

export function timeOf(t: Timestamp | undefined): number {
  if (t === undefined) return 0;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isFinite(ms) ? ms : 0;
}
