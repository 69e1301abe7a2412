/** The one table of resource types kube-sim serves: discovery, routing, storage and printing all read it. */

/** An `additionalPrinterColumns` entry of a CustomResourceDefinition version. */
export interface CustomColumn { name: string; type: string; jsonPath: string; format?: string; priority?: number; description?: string }

export interface ResourceInfo {
  /** plural REST name: 'pods', 'deployments' */
  resource: string;
  /** where the store keeps its objects: the plural for built-in resources, the CRD name (`monitors.ganglion.dev`) for custom ones */
  key: string;
  singular: string;
  /** '' for the core group */
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  subresources: string[];
  categories: string[];
  /** custom resources only: the Table columns after Name */
  printerColumns?: CustomColumn[];
  /** custom resources only: the version's structural `openAPIV3Schema` */
  schema?: Record<string, unknown>;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(
  group: string, version: string, resource: string, kind: string, namespaced: boolean,
  shortNames: string[] = [], subresources: string[] = [], categories: string[] = [], verbs: string[] = RW,
): ResourceInfo {
  return { resource, key: resource, singular: kind.toLowerCase(), group, version, kind, namespaced, shortNames, verbs, subresources, categories };
}

const ALL = ['all'];

export const RESOURCES: readonly ResourceInfo[] = [
  r('', 'v1', 'namespaces', 'Namespace', false, ['ns'], ['status', 'finalize'], [], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
  r('', 'v1', 'nodes', 'Node', false, ['no'], ['status', 'proxy']),
  r('', 'v1', 'pods', 'Pod', true, ['po'], ['status', 'log', 'eviction', 'binding', 'exec', 'attach', 'portforward', 'ephemeralcontainers'], ALL),
  r('', 'v1', 'services', 'Service', true, ['svc'], ['status', 'proxy'], ALL, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']),
  r('', 'v1', 'endpoints', 'Endpoints', true, ['ep']),
  r('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']),
  r('', 'v1', 'secrets', 'Secret', true),
  r('', 'v1', 'events', 'Event', true, ['ev']),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa'], ['token']),
  r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc'], ['status']),
  r('', 'v1', 'persistentvolumes', 'PersistentVolume', false, ['pv'], ['status']),
  r('', 'v1', 'replicationcontrollers', 'ReplicationController', true, ['rc'], ['status', 'scale'], ALL),
  r('', 'v1', 'resourcequotas', 'ResourceQuota', true, ['quota'], ['status']),
  r('', 'v1', 'limitranges', 'LimitRange', true, ['limits']),
  r('apps', 'v1', 'deployments', 'Deployment', true, ['deploy'], ['status', 'scale'], ALL),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs'], ['status', 'scale'], ALL),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts'], ['status', 'scale'], ALL),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds'], ['status'], ALL),
  r('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  r('batch', 'v1', 'jobs', 'Job', true, [], ['status'], ALL),
  r('batch', 'v1', 'cronjobs', 'CronJob', true, ['cj'], ['status'], ALL),
  r('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['status'], ALL),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol']),
  r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing'], ['status']),
  r('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  r('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  r('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], ['status']),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, ['sc']),
  r('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, ['crd', 'crds'], ['status'], ['api-extensions']),
  r('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  r('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, ['pc']),
  // metrics are computed from the pods on each request (kubectl top), never stored
  r('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false, [], [], [], ['get', 'list']),
  r('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', true, [], [], [], ['get', 'list']),
  // reviews are answered, never stored
  r('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, [], [], [], ['create']),
  r('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, [], [], [], ['create']),
  r('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false, [], [], [], ['create']),
];

/** Resources whose create is a question answered on the spot (kubectl auth can-i / whoami), not an object kept. */
export const REVIEW_RESOURCES = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

/** The table entry for an object's apiVersion + kind (as `kubectl apply` sends it). */
export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((info) => info.kind === kind && info.group === group && info.version === version);
}

/** `apps/v1` or `v1`. */
export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** `deployments.apps` or `pods`: how Kubernetes names a resource in error messages. */
export function qualifiedName(info: ResourceInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}
