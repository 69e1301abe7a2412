/** Which kinds the API server serves (its discovery documents, read by api-discovery.ts): a manifest's kind is checked here before anything else. */
import { GanglionError } from '../kernel/errors.js';
import { groupVersionResources, type ApiResource } from './api-discovery.js';
import type { KubeClients } from './kube-access.js';

export interface ServedKind { apiVersion: string; kind: string; resource: string; namespaced: boolean }

/**
 * Looks each apiVersion up once; a kind the server does not serve is a 400 naming it and what that group version
 * does serve, so a typo ("Deploymnet") or a CRD that is not installed is caught before any preview or approval.
 */
export async function servedKinds(c: KubeClients, wanted: { apiVersion: string; kind: string }[]): Promise<ServedKind[]> {
  const docs = new Map<string, ApiResource[] | undefined>();
  for (const apiVersion of new Set(wanted.map((w) => w.apiVersion))) docs.set(apiVersion, await groupVersionResources(c, apiVersion));
  return wanted.map(({ apiVersion, kind }) => {
    const served = docs.get(apiVersion);
    if (!served) throw new GanglionError(400, 'unknown_kind', `unknown kind ${kind} (${apiVersion}): the API server does not serve the API version ${apiVersion}; check apiVersion, or install the CRD that defines it; nothing was changed`);
    const hit = served.find((r) => r.kind === kind);
    if (!hit) {
      const near = served.filter((r) => r.kind.toLowerCase() === kind.toLowerCase()).map((r) => r.kind);
      const kinds = served.map((r) => r.kind).sort().slice(0, 30).join(', ');
      throw new GanglionError(400, 'unknown_kind', `unknown kind ${kind}: ${apiVersion} serves no kind ${kind}${near.length ? ` (did you mean ${near[0]}?)` : ''}; it serves ${kinds}; nothing was changed`);
    }
    return { apiVersion, kind, resource: hit.resource, namespaced: hit.namespaced };
  });
}
