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

export async function runLoad(url: string, { method = 'POST', body = 'hello', headers = { 'content-type': 'text/plain' }, connections = 10, duration = 4, amount }: LoadOptions = {}): Promise<LoadResult> {
  // autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond loopback calls:
  // record each response time (float ms) from its 'response' event and take the percentiles from those.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, method, body, headers, connections, ...(amount ? { amount } : { duration }) }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const pct = (q: number) => (times.length ? (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number) : result.latency.p50);
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
