/** The kinds delete may remove, and the calls it makes on each: list what matches, delete it (by uid). */
import { kindRoute, type KindRoute } from '../../cluster/kind-routes.js';

export const DELETE_KINDS: readonly KindRoute[] = [
  kindRoute('', 'v1', 'Pod', 'pods', true, ['list', 'delete']),
  kindRoute('', 'v1', 'Service', 'services', true, ['list', 'delete']),
  kindRoute('', 'v1', 'ConfigMap', 'configmaps', true, ['list', 'delete']),
  kindRoute('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['list', 'delete']),
  kindRoute('apps', 'v1', 'Deployment', 'deployments', true, ['list', 'delete']),
  kindRoute('batch', 'v1', 'Job', 'jobs', true, ['list', 'delete']),
  kindRoute('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, ['list', 'delete']),
  kindRoute('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, ['list', 'delete']),
  kindRoute('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, ['list', 'delete']),
];
