/** Traffic to cluster addresses for an A/B comparison (cluster/cluster-http.ts makes each GET). */
import http from 'node:http';
import { clusterGet } from '../cluster/cluster-http.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** A GET to a cluster address as the canary reads it: kept-alive connections, its own user agent. */
export const canaryGet = (url: string, proxy: string | undefined, signal: AbortSignal): Promise<{ status: number; body: string }> =>
  clusterGet(url, proxy, signal, { agent, userAgent: 'ganglion-canary' });

export interface TrafficResult { sent: number; byStatus: Record<string, number>; failed: number; seconds: number }

/**
 * `requests` GETs of `url`, spread evenly over `seconds` (4 at a time at most): synthetic traffic for an A/B
 * comparison. A request that gets no answer counts as failed; the figures compared come from the apps' own metrics.
 */
export async function sendTraffic(url: string, { requests, seconds, proxy, signal }: { requests: number; seconds: number; proxy?: string; signal: AbortSignal }): Promise<TrafficResult> {
  const started = Date.now();
  const gapMs = requests > 0 ? (seconds * 1000) / requests : 0;
  const byStatus: Record<string, number> = {};
  let failed = 0;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= requests || signal.aborted) return;
      const due = started + i * gapMs - Date.now();
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      try {
        const { status } = await canaryGet(url, proxy, signal);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, requests) }, worker));
  return { sent: requests, byStatus, failed, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
