/**
 * The read calls the cluster tools make: one list call per resource as wire JSON (the pod list also in pages),
 * each bounded in time by kubeCall, and a namespace check that answers an unknown namespace with the namespaces that do exist.
 */
import { GanglionError } from '../kernel/errors.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';
import { getJson, getText } from './get-json.js';
import { LOG_READ_BYTES } from './log-tail.js';
import type { Deployment, KubeEvent, Namespace, Node, Pod } from './kube-shapes.js';

const opts = (c: KubeClients) => ({ server: c.server });
// A whole-cluster list of 10,000 pods is tens of MB: give it longer than a single read, still bounded.
const LIST_TIMEOUT_MS = 30_000;

interface List<T> { items?: T[] }

/** One list call: the whole collection as wire JSON (no per-object model conversion). */
async function list<T>(c: KubeClients, what: string, path: string, query: Record<string, string> = {}): Promise<T[]> {
  const body = await kubeCall(what, (signal) => getJson<List<T>>(c, path, query, signal), { ...opts(c), timeoutMs: LIST_TIMEOUT_MS });
  return body.items ?? [];
}

/** Page size of paged lists: the same as kubectl's `--chunk-size` default. */
export const LIST_PAGE_SIZE = 500;

interface ListPage<T> { items?: T[]; metadata?: { continue?: string } }

/**
 * One logical list read in pages (`limit` + `continue`, as kubectl does): each page goes to `onPage` while
 * the next one is already on its way, so no whole-collection body or object graph is held at once. All the
 * pages together are bounded by one deadline; what onPage throws passes through as it is.
 */
async function listInPages<T>(c: KubeClients, what: string, path: string, query: Record<string, string>, onPage: (items: T[]) => void | Promise<void>, limit = LIST_PAGE_SIZE): Promise<void> {
  const deadline = Date.now() + LIST_TIMEOUT_MS;
  const fetchPage = (cont?: string) => {
    const params = { ...query, limit: String(limit), ...(cont ? { continue: cont } : {}) };
    const page = kubeCall(what, (signal) => getJson<ListPage<T>>(c, path, params, signal), { ...opts(c), timeoutMs: Math.max(1, deadline - Date.now()) });
    page.catch(() => undefined); // awaited below; this only keeps a failure that settles early from being "unhandled"
    return page;
  };
  let next = fetchPage();
  for (;;) {
    const body = await next;
    const cont = body.metadata?.continue;
    if (cont) next = fetchPage(cont);
    await onPage(body.items ?? []);
    if (!cont) return;
  }
}

const nsPath = (namespace: string | undefined, group: string, resource: string) =>
  `${group}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${resource}`;
const scope = (namespace?: string) => (namespace ? `in namespace ${namespace}` : 'in all namespaces');

export function listPods(c: KubeClients, namespace?: string): Promise<Pod[]> {
  return list<Pod>(c, `list pods ${scope(namespace)}`, nsPath(namespace, '/api/v1', 'pods'));
}

/** The pods in pages of LIST_PAGE_SIZE, each handed to `onPage` (in key order) before the next is read. */
export function listPodsInPages(c: KubeClients, namespace: string | undefined, onPage: (pods: Pod[]) => void | Promise<void>, limit = LIST_PAGE_SIZE): Promise<void> {
  return listInPages<Pod>(c, `list pods ${scope(namespace)}`, nsPath(namespace, '/api/v1', 'pods'), {}, onPage, limit);
}

export function listNodes(c: KubeClients): Promise<Node[]> {
  return list<Node>(c, 'list nodes', '/api/v1/nodes');
}

export function listNamespaces(c: KubeClients): Promise<Namespace[]> {
  return list<Namespace>(c, 'list namespaces', '/api/v1/namespaces');
}

export function listDeployments(c: KubeClients, namespace?: string): Promise<Deployment[]> {
  return list<Deployment>(c, `list deployments ${scope(namespace)}`, nsPath(namespace, '/apis/apps/v1', 'deployments'));
}

/** Warning events about pods: probe failures, scheduling and mount problems explain findings. */
export function listPodWarnings(c: KubeClients, namespace?: string): Promise<KubeEvent[]> {
  return list<KubeEvent>(c, `list events ${scope(namespace)}`, nsPath(namespace, '/api/v1', 'events'), { fieldSelector: 'involvedObject.kind=Pod,type=Warning' });
}

/** Events in a namespace (or all), optionally narrowed by a field selector (`involvedObject.name=api-server`). */
export function listEvents(c: KubeClients, namespace: string | undefined, fieldSelector = ''): Promise<KubeEvent[]> {
  return list<KubeEvent>(c, `list events ${scope(namespace)}`, nsPath(namespace, '/api/v1', 'events'), fieldSelector ? { fieldSelector } : {});
}

export interface PodLogQuery {
  name: string;
  namespace: string;
  container: string;
  /** The previous (crashed) instance of the container. */
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Bytes the API server sends at most (default LOG_READ_BYTES); never unbounded. */
  limitBytes?: number;
}

/** A container's log as text (GET pods/{name}/log, as `kubectl logs` reads it); a container with none is a 400. */
export function readPodLog(c: KubeClients, q: PodLogQuery, what: string): Promise<string> {
  const query = {
    container: q.container, previous: q.previous ? 'true' : undefined, tailLines: q.tailLines?.toString(), sinceSeconds: q.sinceSeconds?.toString(),
    limitBytes: String(q.limitBytes ?? LOG_READ_BYTES),
  };
  return kubeCall(what, (signal) => getText(c, `/api/v1/namespaces/${encodeURIComponent(q.namespace)}/pods/${encodeURIComponent(q.name)}/log`, query, signal), opts(c));
}

/** Resolves when the namespace exists; otherwise a 404 that lists the namespaces there are. */
export async function requireNamespace(c: KubeClients, namespace: string): Promise<void> {
  try {
    await kubeCall(`read namespace ${namespace}`, (signal) => getJson(c, `/api/v1/namespaces/${encodeURIComponent(namespace)}`, {}, signal), opts(c));
  } catch (err) {
    if (!(err instanceof GanglionError) || err.status !== 404) throw err;
    const names = (await listNamespaces(c)).map((n) => n.metadata?.name ?? '').filter(Boolean).sort();
    throw new GanglionError(404, 'namespace_not_found', `namespace "${namespace}" does not exist in cluster ${c.context}; existing namespaces: ${names.join(', ') || 'none'}`, { details: { namespace, namespaces: names } });
  }
}

/** Lists pods after checking the namespace, both at once: an empty list then means "no pods", not "no such namespace". */
export async function listPodsChecked(c: KubeClients, namespace?: string): Promise<Pod[]> {
  if (!namespace) return listPods(c);
  const [, pods] = await Promise.all([requireNamespace(c, namespace), listPods(c, namespace)]);
  return pods;
}
