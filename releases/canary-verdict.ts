/**
 * Stable against canary, from the requests each version answered. The rule, stated in every answer:
 * - each version needs at least `minRequests` (default 50) requests, else "not enough traffic yet";
 * - error rates: a two-proportion z-test; |z| ≥ 1.96 (95 %) is a difference;
 * - latency: the canary's p95 at least 1.5× the stable's (or at most 1/1.5×) and at least 50 ms apart is a difference;
 * - worse on either → "canary worse" (abort); better on one and worse on none → "canary better"; otherwise
 *   "no clear difference".
 */
import { quantile, type AppCounters } from './app-metrics.js';

export const MIN_REQUESTS = 50;
const Z_95 = 1.96;
const P95_RATIO = 1.5;
const P95_MIN_GAP_S = 0.05;

export interface VersionFigures {
  version: string;
  pods: number;
  requests: number;
  errors: number;
  successRate?: number;
  p50Ms?: number;
  p95Ms?: number;
}

export type Verdict = 'not-enough-traffic' | 'canary-worse' | 'canary-better' | 'no-clear-difference';

export interface Comparison {
  stable: VersionFigures;
  canary: VersionFigures;
  verdict: Verdict;
  reasons: string[];
  rule: string;
  minRequests: number;
}

export const RULE = `rule: at least ${MIN_REQUESTS} requests per version; error rates differ when a two-proportion z-test gives |z| ≥ ${Z_95}; latency differs when p95 is ≥ ${P95_RATIO}× apart and ≥ ${P95_MIN_GAP_S * 1000} ms apart`;

const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 10_000) / 10);

export function figures(version: string, pods: number, c: AppCounters): VersionFigures {
  const p50 = ms(quantile(c, 0.5));
  const p95 = ms(quantile(c, 0.95));
  return {
    version, pods, requests: c.requests, errors: c.errors,
    ...(c.requests > 0 ? { successRate: Math.round((10_000 * (c.requests - c.errors)) / c.requests) / 100 } : {}),
    ...(p50 !== undefined ? { p50Ms: p50 } : {}), ...(p95 !== undefined ? { p95Ms: p95 } : {}),
  };
}

/** z of the difference canary − stable in error rate (0 when neither erred). */
export function twoProportionZ(e1: number, n1: number, e2: number, n2: number): number {
  const pooled = (e1 + e2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return se === 0 ? 0 : (e2 / n2 - e1 / n1) / se;
}

export function compareVersions(stable: VersionFigures, canary: VersionFigures, minRequests = MIN_REQUESTS): Comparison {
  const base = { stable, canary, rule: RULE.replace(String(MIN_REQUESTS), String(minRequests)), minRequests };
  if (stable.requests < minRequests || canary.requests < minRequests) {
    return { ...base, verdict: 'not-enough-traffic', reasons: [`${stable.requests} stable and ${canary.requests} canary requests so far; ${minRequests} each are needed`] };
  }
  const worse: string[] = [];
  const better: string[] = [];
  const z = twoProportionZ(stable.errors, stable.requests, canary.errors, canary.requests);
  const rate = (f: VersionFigures) => `${f.errors}/${f.requests} errors`;
  if (z >= Z_95) worse.push(`more errors (${rate(canary)} vs ${rate(stable)}, z = ${z.toFixed(1)})`);
  if (z <= -Z_95) better.push(`fewer errors (${rate(canary)} vs ${rate(stable)}, z = ${z.toFixed(1)})`);
  const [a, b] = [stable.p95Ms, canary.p95Ms];
  if (a !== undefined && b !== undefined && Math.abs(b - a) >= P95_MIN_GAP_S * 1000) {
    if (b >= a * P95_RATIO) worse.push(`slower (p95 ${b} ms vs ${a} ms)`);
    if (b * P95_RATIO <= a) better.push(`faster (p95 ${b} ms vs ${a} ms)`);
  }
  if (worse.length) return { ...base, verdict: 'canary-worse', reasons: worse };
  if (better.length) return { ...base, verdict: 'canary-better', reasons: better };
  return { ...base, verdict: 'no-clear-difference', reasons: [`error rates (${rate(canary)} vs ${rate(stable)}, z = ${z.toFixed(1)}) and p95 (${b ?? '?'} ms vs ${a ?? '?'} ms) within the thresholds`] };
}

const line = (label: string, f: VersionFigures) =>
  `${label} ${f.version} (${f.pods} pod${f.pods === 1 ? '' : 's'}): ${f.requests} requests, ${f.successRate ?? '–'}% ok, p50 ${f.p50Ms ?? '–'} ms, p95 ${f.p95Ms ?? '–'} ms`;

const VERDICT_TEXT: Record<Verdict, string> = {
  'not-enough-traffic': 'not enough traffic yet to compare',
  'canary-worse': 'canary worse',
  'canary-better': 'canary better',
  'no-clear-difference': 'no clear difference',
};

/** "stable 2.0 (4 pods): 160 requests, 100% ok, p50 2.6 ms, p95 4.8 ms; canary 2.2 (1 pod): …. Verdict: canary worse — slower (…)" */
export function comparisonText(c: Comparison): string {
  return `${line('stable', c.stable)}; ${line('canary', c.canary)}. Verdict: ${VERDICT_TEXT[c.verdict]} — ${c.reasons.join('; ')}`;
}
