/** Parses a Kubernetes REST path (`/apis/apps/v1/namespaces/x/deployments/y/scale`) into what it addresses. */
import { KubeStatusError } from '../kube-status-error.js';
import type { ResourceInfo } from '../resource-table.js';
import type { ResourceRegistry } from '../resource-registry.js';

export interface RequestTarget {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const notFound = () => new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');

/** The resource a path names, or undefined when the path is not a resource path (discovery, /version...). */
export function parseTarget(pathname: string, registry: ResourceRegistry): RequestTarget | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    [group, version, rest] = ['', parts[1], parts.slice(2)];
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else return undefined;

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && registry.forPath(group, version, rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const info = registry.forPath(group, version, rest[0]);
  if (!info || rest.length > 3) throw notFound();
  const [, name, subresource] = rest;
  if (subresource && !info.subresources.includes(subresource)) throw notFound();
  // a namespaced resource addressed without a namespace is only a cross-namespace list or watch
  if (info.namespaced && !namespace && name) throw notFound();
  if (!info.namespaced && namespace) throw notFound();
  return { info, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
}
