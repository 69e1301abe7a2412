/** The autoscaling/v1 Scale view of deployments, replicasets and statefulsets (the /scale subresource). */
import { KubeStatusError } from '../kube-status-error.js';
import type { KubeObject } from '../store.js';
import { obj, type JsonMap } from '../json-fields.js';

type Json = JsonMap;

function selectorString(selector: unknown): string {
  const s = obj(selector);
  const parts = Object.entries(obj(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of Array.isArray(s.matchExpressions) ? s.matchExpressions.map(obj) : []) {
    const values = Array.isArray(e.values) ? e.values.join(',') : '';
    if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
    else parts.push(`${String(e.key)} ${String(e.operator).toLowerCase()} (${values})`);
  }
  return parts.join(',');
}

export function toScale(o: KubeObject): Json {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const { name, namespace, uid, resourceVersion, creationTimestamp } = o.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name, ...(namespace ? { namespace } : {}), uid, resourceVersion, creationTimestamp },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, selector: selectorString(spec.selector) },
  };
}

/** The object with the Scale's replicas (and its resourceVersion precondition). */
export function fromScale(current: KubeObject, scale: Json): KubeObject {
  const replicas = obj(scale.spec).replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new KubeStatusError(422, 'Invalid', `Scale.autoscaling "${current.metadata.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
  }
  const rv = obj(scale.metadata).resourceVersion;
  return {
    ...current,
    metadata: { ...current.metadata, resourceVersion: typeof rv === 'string' ? rv : current.metadata.resourceVersion },
    spec: { ...obj(current.spec), replicas },
  };
}
