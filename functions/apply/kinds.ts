/** The kinds apply may create or change, and the calls it makes on each: read the object, server-side apply it. */
import { kindRoute, type KindRoute } from '../../cluster/kind-routes.js';

export const APPLY_KINDS: readonly KindRoute[] = [
  kindRoute('', 'v1', 'Namespace', 'namespaces', false, ['get', 'patch']),
  kindRoute('', 'v1', 'Pod', 'pods', true, ['get', 'patch']),
  kindRoute('', 'v1', 'Service', 'services', true, ['get', 'patch']),
  kindRoute('', 'v1', 'ConfigMap', 'configmaps', true, ['get', 'patch']),
  kindRoute('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['get', 'patch']),
  kindRoute('apps', 'v1', 'Deployment', 'deployments', true, ['get', 'patch']),
  kindRoute('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, ['get', 'patch']),
  kindRoute('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, ['get', 'patch']),
  kindRoute('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, ['get', 'patch']),
];
