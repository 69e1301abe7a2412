/** The pod-template-hash: a stable hash of a pod template (ignoring its own hash label), spelled like Kubernetes spells it. */

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with sorted keys, so two templates that differ only in key order hash alike. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// stored objects are replaced, never changed in place, so a template object keeps its identity string
const identities = new WeakMap<object, string>();

/** The template without the pod-template-hash label: what "the same template" means for ReplicaSet reuse. */
export function templateIdentity(template: unknown): string {
  if (template && typeof template === 'object') {
    const known = identities.get(template);
    if (known !== undefined) return known;
    const identity = computeIdentity(template);
    identities.set(template, identity);
    return identity;
  }
  return computeIdentity(template);
}

function computeIdentity(template: unknown): string {
  const copy = structuredClone(template ?? {}) as { metadata?: { labels?: Record<string, string>; creationTimestamp?: unknown } };
  if (copy.metadata?.labels) {
    delete copy.metadata.labels['pod-template-hash'];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata) {
    delete copy.metadata.creationTimestamp;
    if (Object.keys(copy.metadata).length === 0) delete copy.metadata;
  }
  return stableStringify(copy);
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Ten characters from Kubernetes' safe alphabet, like `7d9f4c8b5d`. */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = templateIdentity(template) + (collisionCount ? `#${collisionCount}` : '');
  let out = '';
  for (const seed of ['', '~']) {
    let n = fnv32a(seed + text);
    for (let i = 0; i < 5; i++) {
      out += ALPHABET[n % ALPHABET.length];
      n = Math.floor(n / ALPHABET.length);
    }
  }
  return out;
}
