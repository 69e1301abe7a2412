/**
 * Resolves what a person calls a pod ("api-server", "the api-server pod", a full pod name, an app label,
 * a typo) to one pod: exact name, then its workload (Deployment/StatefulSet/Job), then `app` labels, then a
 * name prefix, then a close match; otherwise a 404 naming the closest pods.
 */
import { GanglionError } from '../kernel/errors.js';
import { closestCandidates, nameScore } from './closest-names.js';
import { timeOf, type Pod } from './kube-shapes.js';
import { analysePod } from './pod-health.js';
import { podOwner, podRestarts } from './pod-status-text.js';
import { compareNames } from './name-order.js';

export type MatchKind = 'exact' | 'workload' | 'label' | 'prefix' | 'close';

export interface PodMatch {
  pod: Pod;
  namespace: string;
  name: string;
  how: MatchKind;
  /** What matched: the workload (`deployment/api-server`), label or name the query was resolved through. */
  via: string;
  /** Other pods that matched as well, `namespace/name`, best first. */
  others: string[];
}

const APP_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'k8s-app'];

const fullName = (p: Pod) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
const workloadName = (p: Pod) => podOwner(p)?.split('/')[1];

/** Among several matching pods, a person means the troubled one, else the newest. */
function preference(a: Pod, b: Pod): number {
  const badA = analysePod(a) ? 1 : 0;
  const badB = analysePod(b) ? 1 : 0;
  if (badA !== badB) return badB - badA;
  const restarts = podRestarts(b) - podRestarts(a);
  if (restarts) return restarts;
  return timeOf(b.metadata?.creationTimestamp) - timeOf(a.metadata?.creationTimestamp) || compareNames(fullName(a), fullName(b));
}

function pick(matches: Pod[], how: MatchKind, via: (p: Pod) => string): PodMatch {
  const sorted = [...matches].sort(preference);
  const pod = sorted[0]!;
  return { pod, namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', how, via: via(pod), others: sorted.slice(1).map(fullName) };
}

/** Splits `deployment/api-server`, `pod/x`, `the api-server pod` into what to look for. */
function parseQuery(raw: string): { text: string; kind?: 'pod' | 'workload' } {
  let text = raw.trim().replace(/^the\s+/i, '').replace(/\s+pods?$/i, '').trim();
  const m = /^(pods?|po|deployments?|deploy|statefulsets?|sts|jobs?|daemonsets?|ds)\/(.+)$/i.exec(text);
  if (!m) return { text };
  text = m[2]!;
  return { text, kind: /^po/i.test(m[1]!) ? 'pod' : 'workload' };
}

/** Resolves `query` among `pods` (already limited to the namespace when one was given). */
export function resolvePod(query: string, pods: readonly Pod[], { namespace }: { namespace?: string } = {}): PodMatch {
  const { text, kind } = parseQuery(query);
  const q = text.toLowerCase();
  const where = namespace ? `in namespace ${namespace}` : 'in any namespace';
  if (!q) throw new GanglionError(400, 'invalid_input', 'name a pod, Deployment or app to read logs from');

  const exact = pods.filter((p) => p.metadata?.name?.toLowerCase() === q);
  if (exact.length && kind !== 'workload') return pick(exact, 'exact', (p) => p.metadata?.name ?? '');
  if (kind !== 'pod') {
    const byWorkload = pods.filter((p) => workloadName(p)?.toLowerCase() === q);
    if (byWorkload.length) return pick(byWorkload, 'workload', (p) => podOwner(p) ?? '');
    const byLabel = pods.filter((p) => APP_LABELS.some((l) => p.metadata?.labels?.[l]?.toLowerCase() === q));
    if (byLabel.length) {
      return pick(byLabel, 'label', (p) => {
        const l = APP_LABELS.find((k) => p.metadata?.labels?.[k]?.toLowerCase() === q);
        return `${l}=${p.metadata?.labels?.[l ?? ''] ?? q}`;
      });
    }
  }
  const byPrefix = pods.filter((p) => p.metadata?.name?.toLowerCase().startsWith(q.endsWith('-') ? q : `${q}-`));
  if (byPrefix.length) return pick(byPrefix, 'prefix', (p) => p.metadata?.name ?? '');

  const candidates = pods.map((p) => ({ names: [p.metadata?.name ?? '', workloadName(p) ?? '', ...APP_LABELS.map((l) => p.metadata?.labels?.[l] ?? '')].filter(Boolean), value: p }));
  // A typo of a workload or pod name ("api-servr") still resolves when one candidate is that close.
  const allowed = Math.max(1, Math.floor(q.length / 4));
  const close = candidates.filter((c) => c.names.some((n) => nameScore(q, n) <= allowed));
  const closeWorkloads = new Set(close.map((c) => `${c.value.metadata?.namespace}/${workloadName(c.value) ?? c.value.metadata?.name}`));
  if (close.length && closeWorkloads.size === 1) {
    return pick(close.map((c) => c.value), 'close', (p) => podOwner(p) ?? p.metadata?.name ?? '');
  }

  const nearest = closestCandidates(q, candidates, 3).map((c) => (namespace ? c.value.metadata?.name ?? '' : fullName(c.value)));
  const hint = nearest.length ? `closest: ${nearest.join(', ')}` : namespace ? 'that namespace has no pods' : 'the cluster has no pods';
  throw new GanglionError(404, 'pod_not_found', `no pod matches "${text}" ${where}; ${hint}`, { details: { query: text, ...(namespace ? { namespace } : {}), closest: nearest } });
}
