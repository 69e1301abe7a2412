/** Which git repository a code operation reads: the input, the app's `ganglion.dev/repo` annotation, GANGLION_REPO, or the one annotated app. */
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';

export const REPO_ANNOTATION = 'ganglion.dev/repo';

export interface RepoChoice { url: string; from: string }

/** Local paths become absolute (the worker runs elsewhere); URLs stay as they are. */
export function normaliseRepo(raw: string): string {
  const v = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^[\w.-]+@[\w.-]+:/.test(v)) return v;
  return path.resolve(v);
}

export async function resolveRepo(c: KubeClients, { repo, app, namespace }: { repo?: string; app?: string; namespace?: string }, globalRepo: string): Promise<RepoChoice> {
  if (repo) return { url: normaliseRepo(repo), from: 'input' };
  const list = await kubeCall('list Deployments to find their repositories', () => (namespace ? c.apps.listNamespacedDeployment({ namespace }) : c.apps.listDeploymentForAllNamespaces()), { server: c.server });
  const annotated = list.items.filter((d) => d.metadata?.annotations?.[REPO_ANNOTATION]);
  const label = (d: (typeof list.items)[number]) => `deployment ${d.metadata?.namespace}/${d.metadata?.name}`;
  if (app) {
    const hit = annotated.find((d) => d.metadata?.name === app);
    if (hit) return { url: normaliseRepo(hit.metadata!.annotations![REPO_ANNOTATION]!), from: `${label(hit)} annotation ${REPO_ANNOTATION}` };
    if (globalRepo) return { url: normaliseRepo(globalRepo), from: 'GANGLION_REPO' };
    throw new GanglionError(404, 'no_repository', `Deployment "${app}" has no ${REPO_ANNOTATION} annotation and GANGLION_REPO is not set; annotate it (kubectl annotate deployment ${app} ${REPO_ANNOTATION}=<git url>) or pass repo`);
  }
  if (globalRepo) return { url: normaliseRepo(globalRepo), from: 'GANGLION_REPO' };
  if (annotated.length === 1) return { url: normaliseRepo(annotated[0]!.metadata!.annotations![REPO_ANNOTATION]!), from: `${label(annotated[0]!)} annotation ${REPO_ANNOTATION}` };
  if (annotated.length > 1) {
    throw new GanglionError(409, 'which_repository', `several apps have a repository: ${annotated.map((d) => d.metadata?.name).join(', ')}; say which (input app) or set GANGLION_REPO`);
  }
  throw new GanglionError(404, 'no_repository', `no repository is configured: set GANGLION_REPO, annotate the app's Deployment with ${REPO_ANNOTATION}=<git url or path>, or pass repo`);
}
