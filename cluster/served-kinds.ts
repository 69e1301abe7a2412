/** Which kinds the API server serves (its discovery documents): a manifest's kind is checked here before anything else. */
import { GanglionError } from '../kernel/errors.js';
import { KubeHttpError, getJson } from './get-json.js';
import { explainKubeError } from './kube-errors.js';
import type { KubeClients } from './kube-access.js';

interface ResourceList { resources?: { name: string; kind: string; namespaced: boolean }[] }

export interface ServedKind { apiVersion: string; kind: string; resource: string; namespaced: boolean }

/** The API group version's discovery document, or undefined when the server does not serve that group version. */
async function discovery(c: KubeClients, apiVersion: string): Promise<ResourceList | undefined> {
  const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  try {
    return await getJson<ResourceList>(c, path);
  } catch (err) {
    if (err instanceof KubeHttpError && err.code === 404) return undefined;
    throw explainKubeError(err, `read the API server's discovery of ${apiVersion}`, c.server);
  }
}

/**
 * Looks each apiVersion up once; a kind the server does not serve is a 400 naming it and what that group version
 * does serve, so a typo ("Deploymnet") or a CRD that is not installed is caught before any preview or approval.
 */
export async function servedKinds(c: KubeClients, wanted: { apiVersion: string; kind: string }[]): Promise<ServedKind[]> {
  const docs = new Map<string, ResourceList | undefined>();
  for (const apiVersion of new Set(wanted.map((w) => w.apiVersion))) docs.set(apiVersion, await discovery(c, apiVersion));
  return wanted.map(({ apiVersion, kind }) => {
    const doc = docs.get(apiVersion);
    if (!doc) throw new GanglionError(400, 'unknown_kind', `unknown kind ${kind} (${apiVersion}): the API server does not serve the API version ${apiVersion}; check apiVersion, or install the CRD that defines it; nothing was changed`);
    const top = (doc.resources ?? []).filter((r) => !r.name.includes('/'));
    const hit = top.find((r) => r.kind === kind);
    if (!hit) {
      const near = top.filter((r) => r.kind.toLowerCase() === kind.toLowerCase()).map((r) => r.kind);
      const served = top.map((r) => r.kind).sort().slice(0, 30).join(', ');
      throw new GanglionError(400, 'unknown_kind', `unknown kind ${kind}: ${apiVersion} serves no kind ${kind}${near.length ? ` (did you mean ${near[0]}?)` : ''}; it serves ${served}; nothing was changed`);
    }
    return { apiVersion, kind, resource: hit.name, namespaced: hit.namespaced };
  });
}
