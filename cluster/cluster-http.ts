/**
 * A GET to a cluster address (a Service's DNS name, a pod IP): through kube-sim's cluster proxy when one is
 * configured (GANGLION_CLUSTER_PROXY, absolute-form request as `curl -x` sends it), straight to it otherwise, as
 * from a pod on a real cluster.
 */
import http from 'node:http';

export interface ClusterGetOptions { agent?: http.Agent; userAgent?: string }

export function clusterGet(url: string, proxy: string | undefined, signal: AbortSignal, { agent, userAgent }: ClusterGetOptions = {}): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const via = proxy ? new URL(proxy) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.get({
      host: via?.hostname ?? target.hostname, port: via?.port || target.port || 80, path: via ? url : `${target.pathname}${target.search}`,
      headers: { host: target.host, ...(userAgent ? { 'user-agent': userAgent } : {}) }, signal, ...(agent ? { agent } : {}),
    }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body })).on('error', reject);
    });
    req.on('error', reject);
  });
}
