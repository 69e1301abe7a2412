/** canary-status: a running canary measured per version from its pods' own metrics, compared, and the next step offered. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { listDeployments } from '../../cluster/deployment-lookup.js';
import { CANARY_OF } from '../../releases/canary-split.js';
import { measureCanary, noCanary, readCanaryPair } from '../../releases/canary-read.js';
import { comparisonText } from '../../releases/canary-verdict.js';
import { sendTraffic } from '../../releases/cluster-http.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;

const SMOKE_PATH = 'ganglion.dev/smoke-path';

const NEXT = {
  'canary-worse': 'Say "Abort the canary" to remove it (or "Promote the canary" to keep it anyway).',
  'canary-better': 'Say "Promote the canary" to roll it out to every pod, or "Abort the canary".',
  'no-clear-difference': 'Say "Promote the canary" or "Abort the canary".',
  'not-enough-traffic': 'Ask again once both versions have had more requests.',
} as const;

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult> {
  const clients = await ctx.kube.clients(inp.cluster);
  const namespace = inp.namespace || undefined;
  let name = inp.name;
  if (!name) {
    const canaries = (await listDeployments(clients, namespace)).filter((d) => d.metadata?.annotations?.[CANARY_OF]);
    if (canaries.length === 0) return { summary: `no canary runs${namespace ? ` in namespace ${namespace}` : ''}; start one with "Canary <app> <version> at 20%"`, data: { canary: null } };
    if (canaries.length > 1) return { summary: `${canaries.length} canaries run (${canaries.map((d) => `${d.metadata?.namespace}/${d.metadata?.annotations?.[CANARY_OF]}`).join(', ')}); say which app`, data: { canaries: canaries.map((d) => d.metadata?.annotations?.[CANARY_OF]) } };
    name = canaries[0]?.metadata?.annotations?.[CANARY_OF] as string;
    if (!namespace) inp = { ...inp, namespace: canaries[0]?.metadata?.namespace ?? 'default' };
  }
  const pair = await readCanaryPair(clients, name, inp.namespace || undefined);
  if (!pair.canary) throw noCanary(pair.stable);
  const proxy = ctx.config.clusterProxy || undefined;
  const ns = pair.stable.metadata?.namespace ?? 'default';
  const path = `/${(pair.stable.metadata?.annotations?.[SMOKE_PATH] ?? '/').replace(/^\/+/, '')}`;
  const url = `http://${name}.${ns}.svc.cluster.local${path}`;
  const traffic = inp.requests > 0 ? await sendTraffic(url, { requests: inp.requests, seconds: inp.seconds, proxy, signal: ctx.signal }) : undefined;
  const c = await measureCanary(clients, { stable: pair.stable, canary: pair.canary }, { proxy, signal: ctx.signal, minRequests: inp.minRequests });
  const sent = traffic ? `Sent ${traffic.sent} test requests to GET ${url} over ${traffic.seconds} s (${Object.entries(traffic.byStatus).map(([s, n]) => `${n}× ${s}`).join(', ')}${traffic.failed ? `, ${traffic.failed} unanswered` : ''}). ` : '';
  return {
    summary: `${sent}Canary of ${ns}/${name} at ${c.percent}%, since it started: ${comparisonText(c)}. ${NEXT[c.verdict]} (${c.rule})`,
    subject: `deployment/${name}`,
    data: { name, namespace: ns, percent: c.percent, stable: c.stable, canary: c.canary, verdict: c.verdict, reasons: c.reasons, rule: c.rule, minRequests: c.minRequests, ...(traffic ? { traffic: { url, ...traffic } } : {}) },
  };
}
