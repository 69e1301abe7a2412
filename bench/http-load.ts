/** A keep-alive load run with autocannon: p50/p99 latency (ms) and requests per second. */
import autocannon from 'autocannon';

export interface LoadResult {
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Total requests to send instead of a duration. */
  amount?: number;
}

/** The q-th percentile of response times (float ms), `empty` when there are none. */
function percentiles(times: number[], empty: number): (q: number) => number {
  const sorted = [...times].sort((a, b) => a - b);
  return (q) => (sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) : empty);
}

export async function runLoad(url: string, { method = 'POST', body = 'hello', headers = { 'content-type': 'text/plain' }, connections = 10, duration = 4, amount }: LoadOptions = {}): Promise<LoadResult> {
  // autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond loopback calls:
  // record each response time (float ms) from its 'response' event and take the percentiles from those.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, method, body, headers, connections, ...(amount ? { amount } : { duration }) }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
  const pct = percentiles(times, result.latency.p50);
  return {
    p50: pct(0.5),
    p99: pct(0.99),
    // Whole-run rate: total over elapsed seconds (the per-second average undercounts a partial last second).
    rps: result.duration > 0 ? result.requests.total / result.duration : result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export interface PairedTarget { path: string; headers: Record<string, string> }

/**
 * Two targets on one server under one load: every connection sends A, B, A, B… (autocannon's request sequence), so
 * both meet the same machine at the same moments — on a busy machine, separate runs differ by more than what is
 * being measured. Responses on a keep-alive connection come back in order, so a connection's n-th answer is A's
 * when n is even. Returns A's and B's figures.
 */
export async function runPairedLoad(base: string, a: PairedTarget, b: PairedTarget, { body = 'hello', connections = 10, duration = 2 }: { body?: string; connections?: number; duration?: number } = {}): Promise<[LoadResult, LoadResult]> {
  const times: [number[], number[]] = [[], []];
  const non2xx = [0, 0];
  const seen = new Map<unknown, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const requests = [a, b].map((t) => ({ method: 'POST' as const, path: t.path, headers: t.headers, body }));
    const instance = autocannon({ url: base, connections, duration, requests }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (client: unknown, status: number, _bytes: number, responseTime: number) => {
      const n = seen.get(client) ?? 0;
      seen.set(client, n + 1);
      times[n % 2]!.push(responseTime);
      if (status < 200 || status > 299) non2xx[n % 2]! += 1;
    });
  });
  const figures = (i: 0 | 1): LoadResult => {
    const pct = percentiles(times[i], NaN);
    return { p50: pct(0.5), p99: pct(0.99), rps: result.duration > 0 ? times[i].length / result.duration : NaN, requests: times[i].length, non2xx: non2xx[i]!, errors: result.errors };
  };
  return [figures(0), figures(1)];
}
