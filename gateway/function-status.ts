/** FunctionStatus as faas-provider serialises it: Go's omitempty drops zero values, createdAt is always there. */
import { NAMESPACE, type DeployedFunction } from './function-table.js';

export interface FunctionStatus {
  name: string;
  image: string;
  namespace: string;
  envProcess?: string;
  envVars?: Record<string, string>;
  constraints?: string[];
  secrets?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  limits?: { memory?: string; cpu?: string };
  requests?: { memory?: string; cpu?: string };
  readOnlyRootFilesystem?: boolean;
  invocationCount?: number;
  replicas?: number;
  availableReplicas?: number;
  createdAt: string;
}

const some = (o: Record<string, string>) => Object.keys(o).length > 0;

export function functionStatus(fn: DeployedFunction, available: number, invocations?: number): FunctionStatus {
  return {
    name: fn.name,
    image: fn.image,
    namespace: NAMESPACE,
    envProcess: 'node dist/host/main.js',
    ...(some(fn.envVars) ? { envVars: fn.envVars } : {}),
    ...(fn.constraints.length ? { constraints: fn.constraints } : {}),
    ...(fn.secrets.length ? { secrets: fn.secrets } : {}),
    ...(some(fn.labels) ? { labels: fn.labels } : {}),
    ...(some(fn.annotations) ? { annotations: fn.annotations } : {}),
    ...(fn.limits ? { limits: fn.limits } : {}),
    ...(fn.requests ? { requests: fn.requests } : {}),
    ...(fn.readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {}),
    ...(invocations ? { invocationCount: invocations } : {}),
    ...(fn.replicas > 0 ? { replicas: fn.replicas } : {}),
    ...(available > 0 ? { availableReplicas: available } : {}),
    createdAt: fn.createdAt,
  };
}
