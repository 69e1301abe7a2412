/**
 * The kinds kube-get may read (get and list), enumerated: RBAC cannot say "everything but Secrets", so the ClusterRole
 * in k8s/10-rbac-functions.yaml lists exactly these, the code refuses anything else before calling the API, and
 * test/production checks the three agree. Secrets are not here and never will be. To read another custom resource,
 * add a `readable()` line and the same rule to the ClusterRole.
 */
import type { KubeGrant } from '../../function-kit/function-module.js';

/** One API group's readable resources (the scanner in testing/api-calls.ts reads these calls as get + list grants). */
function readable(apiGroup: string, resources: string[]): KubeGrant {
  return { apiGroup, resources, verbs: ['get', 'list'] };
}

export const READABLE: KubeGrant[] = [
  readable('', ['configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'replicationcontrollers', 'resourcequotas', 'serviceaccounts', 'services']),
  readable('apps', ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']),
  readable('batch', ['cronjobs', 'jobs']),
  readable('autoscaling', ['horizontalpodautoscalers']),
  readable('policy', ['poddisruptionbudgets']),
  readable('networking.k8s.io', ['ingressclasses', 'ingresses', 'networkpolicies']),
  readable('discovery.k8s.io', ['endpointslices']),
  readable('rbac.authorization.k8s.io', ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']),
  readable('storage.k8s.io', ['storageclasses']),
  readable('scheduling.k8s.io', ['priorityclasses']),
  readable('apiextensions.k8s.io', ['customresourcedefinitions']),
  // custom resources a home lab commonly runs (k3s ships Traefik and its Helm controller)
  readable('ganglion.dev', ['approvalpolicies', 'monitors', 'pushpipelines']),
  readable('traefik.io', ['ingressroutes', 'middlewares']),
  readable('helm.cattle.io', ['helmcharts']),
  readable('cert-manager.io', ['certificates', 'clusterissuers', 'issuers']),
  readable('monitoring.coreos.com', ['podmonitors', 'prometheusrules', 'servicemonitors']),
];

/** Whether kube-get may read this resource (never Secrets, whatever a table says). */
export function isReadable(group: string, resource: string): boolean {
  if (group === '' && resource === 'secrets') return false;
  return READABLE.some((g) => g.apiGroup === group && g.resources.includes(resource));
}

/** "deployments.apps, pods, …" per group, for messages that say what can be read. */
export function readableSummary(): string {
  return READABLE.map((g) => `${g.apiGroup || 'core'}: ${g.resources.join(', ')}`).join('; ');
}
