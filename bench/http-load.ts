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
  const result = await autocannon({ url, method, body, headers, connections, ...(amount ? { amount } : { duration }) });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    // Whole-run rate: total over elapsed seconds (the per-second average undercounts a partial last second).
    rps: result.duration > 0 ? result.requests.total / result.duration : result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
