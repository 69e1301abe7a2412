/**
 * The values a create or delete sentence names, read from the words as written (case kept for keys and values):
 * the object's name, its namespace, image, replicas, limits, ports, KEY=value pairs.
 */
import type { ClusterFacts } from '../plan.js';
import type { Limits } from '../manifests/object-manifests.js';
import { toCount, COUNT } from './intent.js';

const NAME = '([a-z0-9](?:[-a-z0-9.]{0,61}[a-z0-9])?)';
const DNS = new RegExp(`^${NAME}$`);
export const isObjectName = (s: string | undefined): s is string => Boolean(s && DNS.test(s) && s.length <= 63);

/** "in namespace qa", "in the apps namespace", "-n qa", "in apps" (a namespace the cluster has). */
export function namespaceIn(raw: string, facts: ClusterFacts): string | undefined {
  const t = raw.toLowerCase();
  const named = new RegExp(`\\b(?:in|into|to|for|within)\\s+(?:the\\s+)?(?:namespace|ns)\\s+${NAME}`).exec(t)
    ?? new RegExp(`\\b(?:in|into|to|for|within)\\s+(?:the\\s+)?${NAME}\\s+namespace\\b`).exec(t)
    ?? new RegExp(`(?:^|\\s)-n\\s+${NAME}`).exec(t);
  if (named) return named[1];
  const bare = new RegExp(`\\bin\\s+${NAME}(?=\\s|$)`, 'g');
  for (const m of t.matchAll(bare)) if (facts.namespaces.includes(m[1] ?? '')) return m[1];
  return undefined;
}

/** The name after "called"/"named", else right after the kind word ("a deployment web2 with …", "role pod-reader"). */
export function nameAfter(raw: string, kindWords: string): string | undefined {
  const t = raw.toLowerCase();
  const called = new RegExp(`\\b(?:called|named)\\s+["']?${NAME}`).exec(t)?.[1];
  if (called) return called;
  const after = new RegExp(`\\b(?:${kindWords})\\s+${NAME}(?=\\s|$)`).exec(t)?.[1];
  return after && !/^(with|in|that|which|to|for|on|from|called|named|running|using|of|and)$/.test(after) ? after : undefined;
}

/** "image nginx:1.27", "running nginx", "an nginx pod". */
export function imageIn(raw: string, kindWord: string): string | undefined {
  const t = raw.toLowerCase();
  const IMAGE = '([a-z0-9][a-z0-9._/-]*(?::[a-z0-9._-]+)?(?:@sha256:[a-f0-9]{64})?)';
  const said = new RegExp(`\\b(?:image|running|using|runs)\\s+${IMAGE}`).exec(t)?.[1];
  if (said) return said;
  const before = new RegExp(`\\b(?:a|an|one|new)\\s+${IMAGE}\\s+${kindWord}\\b`).exec(t)?.[1];
  return before && !/^(new|simple|test|small|single|basic|empty)$/.test(before) ? before : undefined;
}

export function replicasIn(raw: string): number | undefined {
  const m = new RegExp(`\\b${COUNT}\\s+(?:replicas?|copies|instances)\\b`, 'i').exec(raw) ?? /\breplicas?\s*(?:=|:|of)?\s*(\d+)\b/i.exec(raw);
  return toCount(m?.[1]);
}

/** "cpu limit 500m", "500m cpu", "memory limit 256Mi", "256Mi of memory", "limits of 256Mi memory and 500m cpu". */
export function limitsIn(raw: string): Limits {
  const t = raw.replace(/\s+/g, ' ');
  // binary units in any case (256Mi, 256mi); decimal ones only capitalised, since 500m is half a CPU
  const bin = /\b(\d+(?:\.\d+)?)(ki|mi|gi|ti)\b/i.exec(t);
  const dec = /\b(\d+(?:\.\d+)?)(M|G)\b/.exec(t) ?? /\b(\d+(?:\.\d+)?) ?(mb|gb)\b/i.exec(t);
  const memory = bin ? `${bin[1]}${(bin[2] as string)[0]?.toUpperCase()}i` : dec ? `${dec[1]}${(dec[2] as string)[0]?.toUpperCase()}` : undefined;
  const cpu = /\bcpu(?: limit)?(?: of| to| =)? (\d+(?:\.\d+)?m?)\b/i.exec(t)?.[1] ?? /\b(\d+(?:\.\d+)?m?) (?:of )?(?:cpu|cores?)\b/i.exec(t)?.[1];
  return { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) };
}

export function portIn(raw: string): number | undefined {
  const m = /(?<!(?:target|container)[ -]?)\bport\s+(\d{1,5})\b/i.exec(raw) ?? /:(\d{1,5})\b(?!\.)/.exec(raw.replace(/\S+:\d+\.\d+\S*/g, ''));
  const n = Number(m?.[1]);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** The port on the container a Service sends to: "target port 8080", "to container port 8080". */
export function targetPortIn(raw: string): number | undefined {
  const n = Number(/\b(?:target|container)[ -]?port\s+(\d{1,5})\b/i.exec(raw)?.[1]);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** KEY=value pairs, as written (LOG_LEVEL=debug, a.b=c). */
export function pairsIn(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(/(?:^|[\s,])([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s,]+)/g)) out[m[1] as string] = (m[2] as string).replace(/^["']|["']$/g, '');
  // "LOG_LEVEL set to debug", "LOG_LEVEL to debug": only keys written as environment names, so words are not taken for keys
  for (const m of raw.matchAll(/(?:^|[\s,])([A-Z][A-Z0-9_]*)\s+(?:set to|=|to|as|equal to)\s+("[^"]*"|'[^']*'|[^\s,]+)/g)) out[m[1] as string] ??= (m[2] as string).replace(/^["']|["']$/g, '');
  return out;
}
