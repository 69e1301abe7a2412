/**
 * Checks a manifest object's field types against the kind's schema (kubernetes-models: the Kubernetes OpenAPI
 * schemas compiled to validators), so "replicas: three" is a 400 naming spec.replicas before any preview. Each
 * kind's validator is loaded on first use only (a few MB each), not the whole API.
 */
import { GanglionError } from '../../kernel/errors.js';
import type { ManifestObject } from './manifest-docs.js';

interface SchemaIssue { instancePath?: string; message?: string }
type Validating = { validate(): void };

// Static import() calls, one per kind, so the function bundle carries just these validators.
const MODELS: Record<string, () => Promise<unknown>> = {
  'v1 Namespace': () => import('kubernetes-models/v1/Namespace'),
  'v1 Pod': () => import('kubernetes-models/v1/Pod'),
  'v1 Service': () => import('kubernetes-models/v1/Service'),
  'v1 ConfigMap': () => import('kubernetes-models/v1/ConfigMap'),
  'v1 ServiceAccount': () => import('kubernetes-models/v1/ServiceAccount'),
  'apps/v1 Deployment': () => import('kubernetes-models/apps/v1/Deployment'),
  'networking.k8s.io/v1 NetworkPolicy': () => import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'),
  'rbac.authorization.k8s.io/v1 Role': () => import('kubernetes-models/rbac.authorization.k8s.io/v1/Role'),
  'rbac.authorization.k8s.io/v1 RoleBinding': () => import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'),
};

function modelOf(mod: unknown, kind: string): (new (data: unknown) => Validating) | undefined {
  const cls = mod && typeof mod === 'object' ? (mod as Record<string, unknown>)[kind] : undefined;
  return typeof cls === 'function' ? (cls as new (data: unknown) => Validating) : undefined;
}

/** "/spec/replicas" → "spec.replicas"; "/spec/containers/0/image" → "spec.containers[0].image". */
export function fieldPath(instancePath: string): string {
  return instancePath.split('/').filter(Boolean).map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('').replace(/^\./, '');
}

/** Throws a 400 naming the first wrong field (and its expected type) of each object; kinds without a validator pass. */
export async function checkFieldTypes(objects: ManifestObject[]): Promise<void> {
  for (const o of objects) {
    const load = MODELS[`${o.apiVersion} ${o.kind}`];
    if (!load) continue;
    const Model = modelOf(await load(), o.kind);
    if (!Model) continue;
    try {
      new Model(o).validate();
    } catch (err) {
      const issues = (err as { errors?: SchemaIssue[] }).errors;
      if (!Array.isArray(issues)) throw err;
      const first = issues.find((x) => x.instancePath) ?? issues[0];
      const field = fieldPath(first?.instancePath ?? '') || '(the object)';
      const all = [...new Set(issues.filter((x) => fieldPath(x.instancePath ?? '') === fieldPath(first?.instancePath ?? '')).map((x) => x.message))].join(' or ');
      throw new GanglionError(400, 'invalid_field', `${o.kind} ${o.metadata.name}: field ${field} ${all || 'is invalid'}; nothing was changed`, { details: { kind: o.kind, name: o.metadata.name, field } });
    }
  }
}
