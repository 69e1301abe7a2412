/**
 * The objects a sentence asks for, built from what it names (image, replicas, limits, ports, keys, verbs, selectors):
 * pure functions of those values, so every manifest the embedded planner hands to `apply` is table-tested.
 */
import { stringify } from 'yaml';

type Obj = Record<string, unknown>;
export type Labels = Record<string, string>;

export interface Limits { cpu?: string; memory?: string }

const meta = (name: string, namespace?: string, labels?: Labels): Obj => ({ name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) });

/** "nginx:1.27" → "nginx"; "registry.local/api-server:3.2" → "api-server": a container's name. */
export function containerName(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.split(/[:@]/)[0]?.replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'app';
}

function container(image: string, limits: Limits, port?: number): Obj {
  const lim = Object.fromEntries(Object.entries(limits).filter(([, v]) => v));
  return { name: containerName(image), image, ...(port ? { ports: [{ containerPort: port }] } : {}), ...(Object.keys(lim).length ? { resources: { limits: lim } } : {}) };
}

export const namespaceObject = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(name) });

export function podObject(o: { name: string; namespace: string; image: string; limits?: Limits }): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta(o.name, o.namespace, { app: o.name }), spec: { containers: [container(o.image, o.limits ?? {})] } };
}

export function deploymentObject(o: { name: string; namespace: string; image: string; replicas: number; limits?: Limits }): Obj {
  const labels = { app: o.name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(o.name, o.namespace, labels),
    spec: { replicas: o.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container(o.image, o.limits ?? {})] } } },
  };
}

export function serviceObject(o: { name: string; namespace: string; selector: Labels; port: number; targetPort?: number }): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(o.name, o.namespace), spec: { selector: o.selector, ports: [{ port: o.port, targetPort: o.targetPort ?? o.port, protocol: 'TCP' }] } };
}

export const configMapObject = (o: { name: string; namespace: string; data: Record<string, string> }): Obj =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(o.name, o.namespace), data: o.data });

/** API group of a resource a Role names. */
const GROUP: Record<string, string> = { deployments: 'apps', replicasets: 'apps', statefulsets: 'apps', daemonsets: 'apps', jobs: 'batch', cronjobs: 'batch', networkpolicies: 'networking.k8s.io', ingresses: 'networking.k8s.io' };

export function roleObject(o: { name: string; namespace: string; verbs: string[]; resources: string[] }): Obj {
  const byGroup = new Map<string, string[]>();
  for (const r of o.resources) byGroup.set(GROUP[r] ?? '', [...(byGroup.get(GROUP[r] ?? '') ?? []), r]);
  const rules = [...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: o.verbs }));
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(o.name, o.namespace), rules };
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export function roleBindingObject(o: { role: string; namespace: string; subject: { kind: SubjectKind; name: string } }): Obj {
  const subject = o.subject.kind === 'ServiceAccount'
    ? { kind: 'ServiceAccount', name: o.subject.name, namespace: o.namespace }
    : { kind: o.subject.kind, name: o.subject.name, apiGroup: 'rbac.authorization.k8s.io' };
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(`${o.role}-${o.subject.name}`.slice(0, 63).replace(/-+$/, ''), o.namespace),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: o.role }, subjects: [subject],
  };
}

/** Every pod of the namespace, no traffic in (or out): the usual default-deny policy. */
export function denyAllObject(o: { namespace: string; direction: 'Ingress' | 'Egress' }): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(`deny-all-${o.direction.toLowerCase()}`, o.namespace), spec: { podSelector: {}, policyTypes: [o.direction] } };
}

/** Traffic into the pods `to` selects from the pods `from` selects (in `fromNamespace`), and from nothing else. */
export function allowFromObject(o: { name: string; namespace: string; to: Labels; from: Labels; fromNamespace: string; port?: number }): Obj {
  const peer = { podSelector: { matchLabels: o.from }, ...(o.fromNamespace !== o.namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': o.fromNamespace } } } : {}) };
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(o.name, o.namespace),
    spec: { podSelector: { matchLabels: o.to }, policyTypes: ['Ingress'], ingress: [{ from: [peer], ...(o.port ? { ports: [{ port: o.port, protocol: 'TCP' }] } : {}) }] },
  };
}

/** The manifest text apply takes: YAML documents. */
export function manifestText(objects: Obj[]): string {
  return objects.map((o) => stringify(o, { aliasDuplicateObjects: false }).trimEnd()).join('\n---\n') + '\n';
}
