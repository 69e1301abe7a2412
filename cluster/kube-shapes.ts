/**
 * The parts of Kubernetes objects the tools look at, typed loosely enough that both wire JSON (timestamps as
 * strings) and @kubernetes/client-node models (timestamps as Date) fit. Rollout shapes build on these in
 * workload-shape.ts.
 */

export type Timestamp = string | Date;

export interface OwnerRef {
  kind: string;
  name: string;
  uid?: string;
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

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: Timestamp };
  terminated?: { exitCode: number; reason?: string; message?: string; signal?: number; finishedAt?: Timestamp };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  readinessProbe?: object;
  livenessProbe?: object;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: Timestamp;
}

export interface Pod {
  metadata?: ObjectMeta;
  spec?: { nodeName?: string; containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; restartPolicy?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: Timestamp;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface Node {
  metadata?: ObjectMeta;
  spec?: { unschedulable?: boolean };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Condition[];
    nodeInfo?: { architecture?: string; kubeletVersion?: string; osImage?: string };
  };
}

export interface Deployment {
  metadata?: ObjectMeta;
  spec?: { replicas?: number; template?: { spec?: { containers?: ContainerSpec[] } } };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number };
}

export interface Namespace {
  metadata?: ObjectMeta;
  status?: { phase?: string };
}

export interface KubeEvent {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: Timestamp;
  eventTime?: Timestamp;
  firstTimestamp?: Timestamp;
  metadata?: ObjectMeta;
}

/** Milliseconds since the epoch, or 0 when the time is missing or unreadable. */
export function timeOf(t: Timestamp | undefined): number {
  if (!t) return 0;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

/** RFC 3339 text of a timestamp, as kubectl prints it. */
export function isoOf(t: Timestamp | undefined): string | undefined {
  const ms = timeOf(t);
  return ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}
