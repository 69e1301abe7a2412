/**
 * An app's own request metrics as the demo apps (and most Prometheus-instrumented services) expose them:
 * `http_requests_total{route,code}`, `http_request_duration_seconds_bucket{route,le}`, `app_info{version}`. Parsed,
 * summed over pods, differenced against a baseline, and read as request count, success rate and p50/p95.
 */

/** One pod's (or several pods' summed) counters for the routes that count as traffic. */
export interface AppCounters {
  requests: number;
  errors: number;
  /** cumulative histogram buckets: upper bound in seconds (Infinity last) → count */
  buckets: Array<[number, number]>;
}

/** Probes and scrapes are not traffic. */
const NOT_TRAFFIC = /^\/(healthz|readyz|metrics)/;

const LINE = /^([a-zA-Z_:][\w:]*)\{([^}]*)\}\s+([-+\d.eE]+|\+Inf|NaN)\s*$/;
const labelsOf = (text: string) => Object.fromEntries([...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));

export function parseAppMetrics(text: string): { version?: string; counters: AppCounters } {
  let version: string | undefined;
  let requests = 0;
  let errors = 0;
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const [, name, rawLabels, rawValue] = m;
    const labels = labelsOf(rawLabels ?? '');
    const value = Number(rawValue);
    if (name === 'app_info' && labels.version) version = labels.version;
    if (labels.route === undefined || NOT_TRAFFIC.test(labels.route)) continue;
    if (name === 'http_requests_total') {
      requests += value;
      if (Number(labels.code) >= 500) errors += value;
    } else if (name === 'http_request_duration_seconds_bucket' && labels.le !== undefined) {
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + value);
    }
  }
  return { ...(version ? { version } : {}), counters: { requests, errors, buckets: [...buckets].sort((a, b) => a[0] - b[0]) } };
}

export const NO_COUNTS: AppCounters = { requests: 0, errors: 0, buckets: [] };

function combine(a: AppCounters, b: AppCounters, sign: 1 | -1): AppCounters {
  const buckets = new Map(a.buckets);
  for (const [le, n] of b.buckets) buckets.set(le, (buckets.get(le) ?? 0) + sign * n);
  return { requests: a.requests + sign * b.requests, errors: a.errors + sign * b.errors, buckets: [...buckets].sort((x, y) => x[0] - y[0]) };
}

export const addCounters = (a: AppCounters, b: AppCounters) => combine(a, b, 1);

/** What a pod counted since the baseline; a pod that restarted since (counters went back) counts from zero. */
export function sinceBaseline(now: AppCounters, base: AppCounters | undefined): AppCounters {
  if (!base || now.requests < base.requests) return now;
  return combine(now, base, -1);
}

/** The q-quantile in seconds, interpolated inside its bucket as Prometheus's histogram_quantile does; undefined without requests. */
export function quantile(c: AppCounters, q: number): number | undefined {
  const total = c.buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of c.buckets) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + (le - prevLe) * ((rank - prevCount) / Math.max(1, count - prevCount));
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}
