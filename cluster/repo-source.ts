/**
 * Which git repository a code operation reads: the input, the app's `ganglion.dev/repo` annotation, GANGLION_REPO, or
 * the one annotated app. Code and images come from the operator: a repo the caller types is used only when it is one
 * of those or starts with a prefix of GANGLION_REPO_ALLOW (https or ssh), else 403 before any Job exists.
 */
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import type { KubeClients } from './kube-access.js';
import { kubeCall } from './kube-errors.js';

export const REPO_ANNOTATION = 'ganglion.dev/repo';

export interface RepoChoice { url: string; from: string }

/** https://, ssh:// or scp-style git@host:path — the only transports a caller may name. */
const REMOTE = /^(https:\/\/|ssh:\/\/|[\w.-]+@[\w.-]+:)/i;
/** file://, a path, or any transport git knows that runs a program or reads a descriptor (ext::, fd::, …) */
type RepoKind = 'remote' | 'local' | 'refused';

export function repoKind(url: string): RepoKind {
  if (url.startsWith('-')) return 'refused';
  if (REMOTE.test(url)) return 'remote';
  if (/^[a-z][a-z0-9+.-]*::/i.test(url) || (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^file:\/\//i.test(url))) return 'refused';
  return 'local';
}

/** `prefix` matches whole path segments: https://git.example/me allows https://git.example/me/app, not …/me-evil/app. */
function underPrefix(url: string, prefix: string): boolean {
  if (!prefix) return false;
  return url === prefix || url.startsWith(/[/:]$/.test(prefix) ? prefix : `${prefix}/`);
}

const notAllowed = (url: string, why: string) => new GanglionError(403, 'repo_not_allowed',
  `repository ${JSON.stringify(url.slice(0, 200))} ${why}; code operations read only the repositories the operator named: the app's ${REPO_ANNOTATION} annotation, GANGLION_REPO, or an https/ssh URL under a prefix of GANGLION_REPO_ALLOW`);

/** An operator's own setting (annotation, GANGLION_REPO): any transport but the ones that run programs. */
function operatorRepo(raw: string, from: string): RepoChoice {
  const url = normaliseRepo(raw);
  if (repoKind(url) === 'refused') throw notAllowed(url, `(from ${from}) uses a transport Ganglion does not run (only https, ssh, git@host: and local paths)`);
  return { url, from };
}

/** Local paths become absolute (the worker runs elsewhere); URLs stay as they are. */
export function normaliseRepo(raw: string): string {
  const v = raw.trim();
  // URLs, scp-style remotes and git's `<transport>::<address>` stay as written (repoKind judges them)
  if (/^[a-z][a-z0-9+.-]*:/i.test(v) || /^[\w.-]+@[\w.-]+:/.test(v) || v.startsWith('-')) return v;
  return path.resolve(v);
}

/**
 * A repo the caller typed: the same as an annotation or GANGLION_REPO (then it is theirs, local paths included), or a
 * remote under an allow-listed prefix; anything else is refused 403.
 */
function callerRepo(raw: string, annotated: RepoChoice[], globalRepo: string, allow: readonly string[]): RepoChoice {
  const url = normaliseRepo(raw);
  const kind = repoKind(url);
  if (kind === 'refused') throw notAllowed(url, 'uses a transport Ganglion does not run (only https, ssh and git@host:)');
  const named = annotated.find((a) => a.url === url);
  if (named) return named;
  if (globalRepo && normaliseRepo(globalRepo) === url) return { url, from: 'GANGLION_REPO' };
  if (kind === 'remote' && allow.some((p) => underPrefix(url, p))) return { url, from: 'input (GANGLION_REPO_ALLOW)' };
  throw notAllowed(url, kind === 'local' ? 'is a local path or file:// URL that no annotation or GANGLION_REPO names' : 'is not under a GANGLION_REPO_ALLOW prefix');
}

export async function resolveRepo(c: KubeClients, { repo, app, namespace }: { repo?: string; app?: string; namespace?: string }, globalRepo: string, allow: readonly string[] = []): Promise<RepoChoice> {
  const list = await kubeCall('list Deployments to find their repositories', () => (namespace ? c.apps.listNamespacedDeployment({ namespace }) : c.apps.listDeploymentForAllNamespaces()), { server: c.server });
  const annotated = list.items.filter((d) => d.metadata?.annotations?.[REPO_ANNOTATION]);
  const label = (d: (typeof list.items)[number]) => `deployment ${d.metadata?.namespace}/${d.metadata?.name}`;
  const annotatedChoice = (d: (typeof list.items)[number]) => operatorRepo(d.metadata!.annotations![REPO_ANNOTATION]!, `${label(d)} annotation ${REPO_ANNOTATION}`);
  if (repo) {
    // any annotated app's repository counts (the annotations are the operator's); a refused one matches nothing
    const named = annotated.filter((d) => repoKind(normaliseRepo(d.metadata!.annotations![REPO_ANNOTATION]!)) !== 'refused').map(annotatedChoice);
    return callerRepo(repo, named, globalRepo, allow);
  }
  if (app) {
    const hit = annotated.find((d) => d.metadata?.name === app);
    if (hit) return annotatedChoice(hit);
    if (globalRepo) return operatorRepo(globalRepo, 'GANGLION_REPO');
    throw new GanglionError(404, 'no_repository', `Deployment "${app}" has no ${REPO_ANNOTATION} annotation and GANGLION_REPO is not set; annotate it (kubectl annotate deployment ${app} ${REPO_ANNOTATION}=<git url>) or pass repo`);
  }
  if (globalRepo) return operatorRepo(globalRepo, 'GANGLION_REPO');
  if (annotated.length === 1) return annotatedChoice(annotated[0]!);
  if (annotated.length > 1) {
    throw new GanglionError(409, 'which_repository', `several apps have a repository: ${annotated.map((d) => d.metadata?.name).join(', ')}; say which (input app) or set GANGLION_REPO`);
  }
  throw new GanglionError(404, 'no_repository', `no repository is configured: set GANGLION_REPO, annotate the app's Deployment with ${REPO_ANNOTATION}=<git url or path>, or pass repo`);
}
