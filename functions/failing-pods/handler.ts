/** failing-pods: one list of pod warning events and one of pods (read in pages), analysed page by page in a single pass. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { findingLine, type PodFinding } from '../../cluster/pod-health.js';
import { readFailingPods } from '../../cluster/read-failing-pods.js';
import { requireNamespace } from '../../cluster/read-cluster.js';
import type { input } from './schema.js';
import { compareNames } from '../../cluster/name-order.js';

export { meta } from './schema.js';

export interface FailingPodsData {
  cluster: string;
  namespace?: string;
  /** Pods looked at. */
  total: number;
  /** Findings per reason, most frequent first. */
  byReason: Record<string, number>;
  failing: PodFinding[];
}

/** Lines listed in the summary; the data always holds every finding. */
const MAX_LINES = 40;

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<FailingPodsData>> {
  const c = await ctx.kube.clients(inp.cluster);
  const ns = inp.namespace || undefined;
  const [{ total, failing }] = await Promise.all([readFailingPods(c, ns, ctx.now().getTime()), ns ? requireNamespace(c, ns) : undefined]);
  const counts = new Map<string, number>();
  for (const f of failing) counts.set(f.reason, (counts.get(f.reason) ?? 0) + 1);
  const byReason = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || compareNames(a[0], b[0])));
  const where = ns ? ` in namespace ${ns}` : '';
  const head = failing.length
    ? `${failing.length} of ${total} pods${where} are unhealthy: ${Object.entries(byReason).map(([r, n]) => `${n} ${r}`).join(', ')}`
    : `all ${total} pods${where} are healthy`;
  const lines = failing.slice(0, MAX_LINES).map((f) => `- ${findingLine(f)}`);
  if (failing.length > MAX_LINES) lines.push(`… and ${failing.length - MAX_LINES} more (all of them are in data.failing)`);
  return {
    summary: [head, ...lines].join('\n'),
    data: { cluster: c.context, ...(ns ? { namespace: ns } : {}), total, byReason, failing },
  };
}
