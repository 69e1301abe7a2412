/** Container image references as Docker and Kubernetes read them: parse, format, swap the tag, show briefly. */
import { GanglionError } from '../kernel/errors.js';

export interface ImageRef {
  /** Registry host with optional port ("registry.local:5000"); absent = Docker Hub. */
  registry?: string;
  /** Path below the registry ("placemyparents", "library/nginx", "team/app"). */
  repository: string;
  tag?: string;
  /** "sha256:<hex>" */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

export type SafeImageRef = { ok: true; value: ImageRef } | { ok: false; error: string };

/** Parses without throwing, for callers that branch. */
export function safeParseImageRef(ref: string): SafeImageRef {
  const bad = (why: string): SafeImageRef => ({ ok: false, error: `"${ref}" is not an image reference: ${why}` });
  if (!ref || ref !== ref.trim()) return bad('empty or surrounded by spaces');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return bad(`digest "${digest}" should look like sha256:<64 hex digits>`);
  }
  // The tag is after the last ':' of the last path segment, so a registry port ("host:5000/app") is not a tag.
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return bad(`tag "${tag}" may hold only letters, digits, '_', '.', '-' (max 128, not starting with '.' or '-')`);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  // Docker's rule: the first segment is a registry when it has a '.' or ':' or is "localhost".
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
    if (!HOST.test(registry)) return bad(`registry "${registry}" is not a host[:port]`);
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) return bad('the repository path must be lowercase letters, digits and separators');
  return { ok: true, value: { ...(registry ? { registry } : {}), repository: parts.join('/'), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) } };
}

export function parseImageRef(ref: string): ImageRef {
  const parsed = safeParseImageRef(ref);
  if (!parsed.ok) throw new GanglionError(400, 'invalid_image', parsed.error);
  return parsed.value;
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The same image at another tag; a digest pin is dropped, since the digest belongs to the old tag. */
export function withTag(ref: string, tag: string): string {
  if (!TAG.test(tag)) throw new GanglionError(400, 'invalid_tag', `tag "${tag}" may hold only letters, digits, '_', '.', '-' (max 128, not starting with '.' or '-')`);
  const { digest: _digest, ...parsed } = parseImageRef(ref);
  return formatImageRef({ ...parsed, tag });
}

/** What an image is called in one line: the last path segment plus tag (or short digest); no tag = latest. */
export function shortImage(ref: string): string {
  const parsed = safeParseImageRef(ref);
  if (!parsed.ok) return ref;
  const { repository, tag, digest } = parsed.value;
  const name = repository.split('/').pop() ?? repository;
  return `${name}${versionOf(tag, digest)}`;
}

function versionOf(tag: string | undefined, digest: string | undefined): string {
  if (tag) return `:${tag}`;
  if (digest) return `@${digest.slice(0, digest.indexOf(':') + 13)}`;
  return ':latest';
}

function sameRepository(a: ImageRef, b: ImageRef): boolean {
  return (a.registry ?? '') === (b.registry ?? '') && a.repository === b.repository;
}

/** "placemyparents:1.4 → 2.0" when only the version moves, else both short names. */
export function describeImageChange(before: string, after: string): string {
  const a = safeParseImageRef(before);
  const b = safeParseImageRef(after);
  if (a.ok && b.ok && sameRepository(a.value, b.value)) {
    return `${shortImage(before)} → ${versionOf(b.value.tag, b.value.digest).slice(1)}`;
  }
  const shortA = shortImage(before);
  const shortB = shortImage(after);
  return shortA === shortB ? `${before} → ${after}` : `${shortA} → ${shortB}`;
}

/** The version a person names an image by: its tag, a short digest, or "latest". */
export function imageVersion(ref: string): string {
  const parsed = safeParseImageRef(ref);
  if (!parsed.ok) return ref;
  return versionOf(parsed.value.tag, parsed.value.digest).slice(1);
}
