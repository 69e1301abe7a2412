/**
 * What the API server serves, from its discovery documents (/api/v1, /apis, /apis/<group>/<version>), and the
 * resource a word such as "deploy", "po", "CRDs", "Monitor" or "monitors.ganglion.dev" means — as kubectl resolves it.
 * Discovery paths are not resources: every authenticated caller may read them (system:discovery), no RBAC rule needed.
 */
import { GanglionError } from '../kernel/errors.js';
import { closestNames } from './closest-names.js';
import { getJson, KubeHttpError } from './get-json.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';

export interface ApiResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural lower-case name, as in a path and an RBAC rule: "deployments". */
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  singular: string;
  verbs: string[];
}

interface ResourceList { resources?: { name: string; kind: string; namespaced: boolean; shortNames?: string[]; singularName?: string; verbs?: string[] }[] }
interface GroupList { groups?: { name: string; preferredVersion?: { groupVersion: string } }[] }

/** How long a discovered list is reused: a new CRD shows up within this, and a miss reads discovery again at once. */
const DISCOVERY_TTL_MS = 60_000;
const cache = new WeakMap<KubeClients['kc'], { at: number; resources: Promise<ApiResource[]> }>();

/**
 * The resources one group version serves ("v1", "apps/v1", "ganglion.dev/v1alpha1"), subresources left out;
 * undefined when the server does not serve that group version (404).
 */
export async function groupVersionResources(c: KubeClients, apiVersion: string): Promise<ApiResource[] | undefined> {
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  const path = group ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const body = await kubeCall(`read API discovery ${path}`, (signal) => getJson<ResourceList>(c, path, {}, signal).catch((err: unknown) => {
    if (err instanceof KubeHttpError && err.code === 404) return undefined;
    throw err;
  }), { server: c.server });
  return body && (body.resources ?? []).filter((r) => !r.name.includes('/')).map((r) => ({
    group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, shortNames: r.shortNames ?? [],
    singular: r.singularName || r.kind.toLowerCase(), verbs: r.verbs ?? [],
  }));
}

async function discover(c: KubeClients): Promise<ApiResource[]> {
  const groups = await kubeCall('read API discovery /apis', (signal) => getJson<GroupList>(c, '/apis', {}, signal), { server: c.server });
  const lists = await Promise.all([
    groupVersionResources(c, 'v1'),
    ...(groups.groups ?? []).flatMap((g) => {
      const gv = g.preferredVersion?.groupVersion;
      // an aggregated API that is down answers 503 for its group: the rest of the cluster is still readable
      return gv ? [groupVersionResources(c, gv).catch(() => [])] : [];
    }),
  ]);
  return lists.flatMap((l) => l ?? []);
}

/** Every resource the API server serves, in the preferred version of each group (cached for DISCOVERY_TTL_MS). */
export function discoverResources(c: KubeClients, { fresh = false, now = Date.now() }: { fresh?: boolean; now?: number } = {}): Promise<ApiResource[]> {
  const hit = cache.get(c.kc);
  if (hit && !fresh && now - hit.at < DISCOVERY_TTL_MS) return hit.resources;
  const resources = discover(c);
  cache.set(c.kc, { at: now, resources });
  resources.catch(() => cache.delete(c.kc));
  return resources;
}

/** Core and the built-in groups win a short name or kind shared with a custom resource, as in kubectl. */
const rank = (r: ApiResource) => (r.group === '' ? 0 : r.group.endsWith('.k8s.io') || !r.group.includes('.') ? 1 : 2);

/** The resource a word names: plural, singular, short name or kind (any case), optionally `.group`; undefined when none. */
export function matchResource(resources: ApiResource[], word: string): ApiResource | undefined {
  const w = word.trim().toLowerCase();
  const dot = w.indexOf('.');
  const [name, group] = dot > 0 ? [w.slice(0, dot), w.slice(dot + 1)] : [w, undefined];
  const names = (r: ApiResource) => [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames];
  const hits = resources.filter((r) => (group === undefined || r.group === group) && names(r).includes(name));
  return hits.sort((a, b) => rank(a) - rank(b))[0];
}

/** Like matchResource, reading discovery again once on a miss (a CRD just created); a 404 naming the closest kinds otherwise. */
export async function resolveResource(c: KubeClients, word: string): Promise<ApiResource> {
  const found = matchResource(await discoverResources(c), word) ?? matchResource(await discoverResources(c, { fresh: true }), word);
  if (found) return found;
  const all = await discoverResources(c);
  const close = closestNames(word.toLowerCase(), new Set(all.flatMap((r) => [r.resource, r.kind.toLowerCase(), ...r.shortNames])));
  throw new GanglionError(404, 'unknown_kind', `the API server of cluster ${c.context} serves no kind "${word}"${close.length ? `; closest: ${close.join(', ')}` : ''}`, { details: { kind: word, closest: close } });
}

/** The collection path of a resource, in one namespace or across all. */
export function collectionPath(r: ApiResource, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${base}${r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${r.resource}`;
}

/** `deployments.apps`, `pods`: the name kubectl and RBAC know a resource by. */
export const qualifiedName = (r: ApiResource): string => (r.group ? `${r.resource}.${r.group}` : r.resource);
