/**
 * A GET to a cluster address (a Service's DNS name, a pod IP): through kube-sim's cluster proxy when one is
 * configured (GANGLION_CLUSTER_PROXY, absolute-form request as `curl -x` sends it), straight to it otherwise, as
 * from a pod on a real cluster.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

export function clusterGet(url: string, proxy: string | undefined, signal: AbortSignal): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const via = proxy ? new URL(proxy) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.get({
      host: via?.hostname ?? target.hostname, port: via?.port || target.port || 80, path: via ? url : `${target.pathname}${target.search}`,
      headers: { host: target.host, 'user-agent': 'ganglion-canary' }, signal, agent,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body })).on('error', reject);
    });
    req.on('error', reject);
  });
}

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
        const { status } = await clusterGet(url, proxy, signal);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, requests) }, worker));
  return { sent: requests, byStatus, failed, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
