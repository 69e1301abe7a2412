/**
 * The verify worker's HTTP smoke test: one GET, its status and latency. Cluster DNS names go through the cluster
 * proxy when one is configured (kube-sim's, GANGLION_CLUSTER_PROXY), else straight to the name, as from a pod.
 */
import { clusterGet } from '../cluster/cluster-http.js';

export interface SmokeResult {
  /** skipped: the request could not be made (no answer, name not found) — never a pass */
  status: 'passed' | 'failed' | 'skipped';
  url: string; httpStatus?: number; ms?: number; note?: string;
}
export interface SmokeOptions { proxy?: string; timeoutMs?: number; maxMs?: number }

const isClusterName = (host: string) => /\.svc(\.cluster\.local)?\.?$/.test(host);

async function getDirect(url: string, signal: AbortSignal): Promise<number> {
  const res = await fetch(url, { signal, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

export async function smokeCheck(url: string, { proxy, timeoutMs = 3_000, maxMs = 2_000 }: SmokeOptions = {}): Promise<SmokeResult> {
  const started = Date.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const via = proxy && isClusterName(new URL(url).hostname) ? proxy : undefined;
  let httpStatus: number;
  try {
    httpStatus = via ? (await clusterGet(url, via, signal)).status : await getDirect(url, signal);
  } catch (err) {
    const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string }; message?: string };
    const why = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(err));
    return { status: 'skipped', url, note: `GET ${url} got no answer (${why})${via ? ` through the cluster proxy ${via}` : ''}` };
  }
  const ms = Date.now() - started;
  if (httpStatus >= 400) return { status: 'failed', url, httpStatus, ms, note: `HTTP ${httpStatus} in ${ms} ms` };
  if (ms > maxMs) return { status: 'failed', url, httpStatus, ms, note: `HTTP ${httpStatus} but in ${ms} ms, over the ${maxMs} ms limit` };
  return { status: 'passed', url, httpStatus, ms };
}

/** The sentence verify reports: what was called, the status and the latency, or why it could not be called. */
export function smokeText(s: SmokeResult): string {
  if (s.status === 'passed') return `Smoke test passed: GET ${s.url} → HTTP ${s.httpStatus} in ${s.ms} ms.`;
  if (s.status === 'failed') return `Smoke test FAILED: GET ${s.url} → ${s.note}.`;
  return `Smoke test could not run: ${s.note}; a smoke test that did not run is not a pass.`;
}
