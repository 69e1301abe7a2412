/** What node calls: read and patch the Node (spec.unschedulable), list the pods on it, evict them (drain). */
import { kindRoute, type KindRoute } from '../../cluster/kind-routes.js';

export const NODE_ROUTE: KindRoute = kindRoute('', 'v1', 'Node', 'nodes', false, ['get', 'patch']);
export const POD_ROUTE: KindRoute = kindRoute('', 'v1', 'Pod', 'pods', true, ['list']);
export const EVICTION_ROUTE: KindRoute = kindRoute('', 'v1', 'Pod', 'pods/eviction', true, ['create']);
export const NODE_ROUTES: readonly KindRoute[] = [NODE_ROUTE, POD_ROUTE, EVICTION_ROUTE];
