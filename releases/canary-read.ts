/**
 * A running canary as the cluster holds it: the stable Deployment, its `<name>-canary` beside it, their ready pods,
 * and each pod's own /metrics scraped by pod IP (through kube-sim's cluster proxy when one is configured, straight
 * to the pod IP from inside a cluster), summed per version since the canary started.
 */
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { GanglionError } from '../kernel/errors.js';
import type { KubeClients } from '../cluster/kube-access.js';
import { kubeCall } from '../cluster/kube-errors.js';
import { findDeployment, podsOfDeployment } from '../cluster/deployment-lookup.js';
import { imageVersion } from '../cluster/image-ref.js';
import { addCounters, NO_COUNTS, parseAppMetrics, sinceBaseline, type AppCounters } from './app-metrics.js';
import { CANARY_BASELINE, CANARY_OF, CANARY_PERCENT, canaryName, TRACK_LABEL } from './canary-split.js';
import { compareVersions, figures, type Comparison } from './canary-verdict.js';
import { canaryGet } from './cluster-http.js';

export interface CanaryPair { stable: V1Deployment; canary?: V1Deployment }

const isReady = (p: V1Pod) => !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const isCanaryPod = (p: V1Pod) => p.metadata?.labels?.[TRACK_LABEL] === 'canary';
export const imageOf = (d: V1Deployment | undefined, container?: string) =>
  (container ? d?.spec?.template.spec?.containers.find((c) => c.name === container) : d?.spec?.template.spec?.containers[0])?.image ?? '';

/** The stable Deployment (given its name or its canary's) and its canary when one runs. */
export async function readCanaryPair(clients: KubeClients, name: string, namespace?: string): Promise<CanaryPair> {
  const stableName = name.endsWith('-canary') ? name.slice(0, -'-canary'.length) : name;
  const stable = await findDeployment(clients, stableName, namespace);
  const ns = stable.metadata?.namespace ?? 'default';
  try {
    const canary = await kubeCall(`read deployment ${ns}/${canaryName(stableName)}`, () => clients.apps.readNamespacedDeployment({ name: canaryName(stableName), namespace: ns }), { server: clients.server });
    return canary.metadata?.annotations?.[CANARY_OF] === stableName ? { stable, canary } : { stable };
  } catch (err) {
    if (err instanceof GanglionError && err.status === 404) return { stable };
    throw err;
  }
}

/** "no canary of apps/placemyparents runs" — the answer to promote, abort or status without one. */
export function noCanary(stable: V1Deployment): GanglionError {
  const where = `${stable.metadata?.namespace}/${stable.metadata?.name}`;
  return new GanglionError(409, 'no_canary', `no canary of ${where} runs (there is no deployment ${canaryName(stable.metadata?.name ?? '')}); nothing was changed. Start one with "Canary ${stable.metadata?.name} <version> at 20%"`);
}

const podPort = (p: V1Pod) => p.spec?.containers[0]?.ports?.[0]?.containerPort ?? 8080;

/** Every ready pod's counters, by pod name; a pod whose /metrics cannot be read fails the reading, naming it. */
export async function scrapePods(pods: V1Pod[], proxy: string | undefined, signal: AbortSignal): Promise<Map<string, { version?: string; counters: AppCounters }>> {
  const out = new Map<string, { version?: string; counters: AppCounters }>();
  await Promise.all(pods.filter(isReady).map(async (p) => {
    const url = `http://${p.status?.podIP}:${podPort(p)}/metrics`;
    try {
      const got = await canaryGet(url, proxy, signal);
      if (got.status >= 400) throw new Error(`answered ${got.status}: ${got.body.slice(0, 200).trim()}`);
      out.set(p.metadata?.name ?? '', parseAppMetrics(got.body));
    } catch (err) {
      throw new GanglionError(502, 'metrics_unreadable', `could not read the metrics of pod ${p.metadata?.name} (${url}): ${(err as Error).message}`, { cause: err });
    }
  }));
  return out;
}

/** Ready pods of the stable (canary pods left out: they carry the stable's labels too) and of the canary. */
export async function podsOfPair(clients: KubeClients, pair: CanaryPair): Promise<{ stable: V1Pod[]; canary: V1Pod[] }> {
  const stable = (await podsOfDeployment(clients, pair.stable)).filter((p) => !isCanaryPod(p) && isReady(p));
  const canary = pair.canary ? (await podsOfDeployment(clients, pair.canary)).filter(isReady) : [];
  return { stable, canary };
}

/** The stable pods' counters when the canary starts: what status subtracts, so both versions count from then. */
export async function baselineOf(clients: KubeClients, stable: V1Deployment, proxy: string | undefined, signal: AbortSignal): Promise<string> {
  const pods = (await podsOfDeployment(clients, stable)).filter((p) => !isCanaryPod(p) && isReady(p));
  // An app without readable metrics still gets its canary; status then says it cannot measure (scrapePods names the pod).
  const scraped = await scrapePods(pods, proxy, signal).catch((err: unknown) => {
    if (signal.aborted) throw err;
    return new Map<string, { counters: AppCounters }>();
  });
  // JSON has no Infinity: the +Inf bucket is written as "+Inf" and read back by parseBaseline
  return JSON.stringify(Object.fromEntries([...scraped].map(([pod, m]) => [pod, { ...m.counters, buckets: m.counters.buckets.map(([le, n]) => [Number.isFinite(le) ? le : '+Inf', n]) }])));
}

function parseBaseline(text: string | undefined): Record<string, AppCounters> {
  try {
    const v = JSON.parse(text ?? '{}') as unknown;
    if (!v || typeof v !== 'object') return {};
    const pods = v as Record<string, { requests: number; errors: number; buckets: Array<[number | string, number]> }>;
    return Object.fromEntries(Object.entries(pods).map(([pod, c]) => [pod, { ...c, buckets: c.buckets.map(([le, n]): [number, number] => [le === '+Inf' ? Infinity : Number(le), n]) }]));
  } catch {
    return {};
  }
}

/** Both versions measured from their pods' /metrics since the canary started, and compared. */
export async function measureCanary(clients: KubeClients, pair: Required<CanaryPair>, opts: { proxy?: string; signal: AbortSignal; minRequests?: number }): Promise<Comparison & { percent: number }> {
  const pods = await podsOfPair(clients, pair);
  const [stableM, canaryM] = await Promise.all([scrapePods(pods.stable, opts.proxy, opts.signal), scrapePods(pods.canary, opts.proxy, opts.signal)]);
  const baseline = parseBaseline(pair.canary.metadata?.annotations?.[CANARY_BASELINE]);
  const sum = (m: typeof stableM, base: Record<string, AppCounters>) => [...m].reduce((acc, [pod, v]) => addCounters(acc, sinceBaseline(v.counters, base[pod])), NO_COUNTS);
  const version = (m: typeof stableM, d: V1Deployment) => [...m.values()].find((v) => v.version)?.version ?? imageVersion(imageOf(d));
  const comparison = compareVersions(
    figures(version(stableM, pair.stable), pods.stable.length, sum(stableM, baseline)),
    figures(version(canaryM, pair.canary), pods.canary.length, sum(canaryM, {})),
    opts.minRequests,
  );
  return { ...comparison, percent: Number(pair.canary.metadata?.annotations?.[CANARY_PERCENT] ?? 0) };
}
