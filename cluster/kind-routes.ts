/**
 * The kinds a change tool may touch: each one's API path and the verbs the tool's ServiceAccount is granted on it.
 * Written as `kindRoute(...)` literals, which testing/api-calls.ts reads for the RBAC check (code = schema = k8s/).
 */
import { GanglionError } from '../kernel/errors.js';

export interface KindRoute {
  apiGroup: string;
  version: string;
  kind: string;
  /** Plural resource, or resource/subresource (pods/eviction). */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

export function kindRoute(apiGroup: string, version: string, kind: string, resource: string, namespaced: boolean, verbs: string[]): KindRoute {
  return { apiGroup, version, kind, resource, namespaced, verbs };
}

export const apiVersionOf = (r: Pick<KindRoute, 'apiGroup' | 'version'>): string => (r.apiGroup ? `${r.apiGroup}/${r.version}` : r.version);

/** The API path of one object, or of the collection when `name` is absent (every namespace when `namespace` is too). */
export function objectPath(r: KindRoute, namespace: string | undefined, name?: string): string {
  const base = r.apiGroup ? `/apis/${r.apiGroup}/${r.version}` : `/api/${r.version}`;
  const [resource, sub] = r.resource.split('/');
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const one = name === undefined ? '' : `/${encodeURIComponent(name)}${sub ? `/${sub}` : ''}`;
  return `${base}${ns}/${resource}${one}`;
}

/** The RBAC rules a table grants, one per kind (what schema.ts `kube` declares). */
export function grantsOf(routes: readonly KindRoute[]): { apiGroup: string; resources: string[]; verbs: string[] }[] {
  return routes.map((r) => ({ apiGroup: r.apiGroup, resources: [r.resource], verbs: [...r.verbs] }));
}

/** "pod", "pods", "Pod", "po"-free: the route whose kind, singular or plural the word is. */
export function routeNamed(routes: readonly KindRoute[], word: string): KindRoute | undefined {
  const w = word.toLowerCase().replace(/[\s_-]/g, '');
  return routes.find((r) => !r.resource.includes('/') && [r.kind.toLowerCase(), r.resource].includes(w));
}

/** Namespaces no change tool writes in: the cluster's own, and Ganglion's. */
const PROTECTED = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'ganglion', 'ganglion-workers', 'openfaas', 'openfaas-fn']);

export const isProtectedNamespace = (namespace: string): boolean => PROTECTED.has(namespace);

export function refuseProtectedNamespace(namespace: string | undefined, what: string): void {
  if (namespace && PROTECTED.has(namespace)) {
    throw new GanglionError(403, 'namespace_protected', `${what}: namespace ${namespace} is protected (the cluster's and Ganglion's own namespaces are never changed by these tools); nothing was changed; use kubectl if you really mean it`);
  }
}

/** Secrets never pass through Ganglion's general tools: their values would reach the preview, the audit and the model. */
export function refuseSecret(kind: string, what: string): void {
  if (kind.toLowerCase().replace(/s$/, '') === 'secret') {
    throw new GanglionError(403, 'secrets_denied', `${what}: Secrets are denied — Ganglion's general tools never read, write or delete Secrets, so their values never reach a preview, the audit or a model; nothing was changed; use kubectl for Secrets`);
  }
}
