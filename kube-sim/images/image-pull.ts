/** Whether a node can pull an image, and if not the error containerd reports, from the catalog and the scenario's registry. */
import { imageExists, normaliseImage, type Simulation } from '../scenario/scenario.js';
import type { ImageCatalog } from './image-catalog.js';

export type PullResult = { ok: true } | { ok: false; message: string };

/** Whether the first path part names a registry host ("registry.local", "ghcr.io", "localhost:5000"). */
const hasRegistryHost = (repo: string) => {
  const first = repo.split('/')[0];
  return repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
};

/** The reference as containerd spells it: `redis:7` → `docker.io/library/redis:7`, `team/app:1` → `docker.io/team/app:1`. */
export function qualifiedRef(image: string): string {
  const { repo, tag, ref } = normaliseImage(image);
  const digest = ref.includes('@');
  const name = hasRegistryHost(repo) ? repo : repo.includes('/') ? `docker.io/${repo}` : `docker.io/library/${repo}`;
  return `${name}${digest ? '@' : ':'}${tag}`;
}

export function notFoundMessage(image: string): string {
  const ref = qualifiedRef(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

function accessDeniedMessage(image: string): string {
  const ref = qualifiedRef(image);
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ` +
    'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';
}

/** Edit distance of at most one (one letter changed, added, dropped, or two swapped): "ngnix", "redsi", "busybx". */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
  const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  return swapped || a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}

/**
 * A Docker Hub repository the catalog can vouch does not exist: a misspelt official image ("ngnix"), or an unknown
 * repository in a namespace the catalog lists ("curlimages/curlx"). Other unknown images are the scenario's to decide.
 */
function surelyMissing(catalog: ImageCatalog, repo: string): boolean {
  if (hasRegistryHost(repo)) return false;
  const known = Object.keys(catalog.images).filter((name) => !hasRegistryHost(name));
  const slash = repo.indexOf('/');
  if (slash < 0) return repo.length >= 4 && known.some((name) => !name.includes('/') && oneEditApart(repo, name));
  const namespace = repo.slice(0, slash + 1);
  return known.some((name) => name.startsWith(namespace));
}

/** Pulls `image` as a node would: catalog tags first, then the scenario's registry; worker images always exist. */
export function pullImage(catalog: ImageCatalog, sim: Simulation, image: string): PullResult {
  const { repo, tag, ref } = normaliseImage(image);
  const entry = catalog.images[repo];
  const digest = ref.includes('@');
  if (entry?.tags && !digest) return entry.tags.includes(tag) ? { ok: true } : { ok: false, message: notFoundMessage(image) };
  if (!entry && surelyMissing(catalog, repo)) return { ok: false, message: accessDeniedMessage(image) };
  if (entry?.tags && digest) return { ok: true };
  return imageExists(sim, image) ? { ok: true } : { ok: false, message: notFoundMessage(image) };
}
