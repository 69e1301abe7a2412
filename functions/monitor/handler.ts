/**
 * monitor: the check a monitor's CronJob invokes (ganglion-monitor-<id> runs the worker's `invoke` role with
 * {"monitor":"<id>"}). Without `monitor` it checks every monitor now (a person's "check my monitors now"). Each
 * monitor has its own CronJob, so the function has no cron of its own: a call from cron-connector (an annotation left
 * in an old stack.yml) is refused, so no monitor is checked twice on a schedule. GET /monitors lists every monitor
 * with what is firing (ganglion monitors reads it).
 */
import type { z } from 'zod';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { GanglionError } from '../../kernel/errors.js';
import { listMonitors } from '../../monitors/monitor-store.js';
import { checkMonitor, type CheckResult } from '../../monitors/check-monitor.js';
import type { FunctionContext, FunctionRoute, StepResult } from '../../function-kit/function-module.js';
import { monitorListing } from '../../monitors/monitor-listing.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

function resultLine(r: CheckResult): string {
  const sent = r.sent.map((s) => `${s.kind === 'alert' ? 'alerted' : 'resolved'} ${s.subject}${s.failed.length ? ` (not delivered: ${s.failed.join('; ')})` : ''}`);
  const firing = r.firing.length ? `${r.firing.length} firing: ${r.firing.map((f) => `${f.subject}${f.namespace ? ` in ${f.namespace}` : ''}`).join(', ')}` : 'nothing firing';
  return `${r.monitor}: ${firing}${sent.length ? `; ${sent.join('; ')}` : ''}`;
}

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<{ checks: CheckResult[] }>> {
  const state = stateClient(ctx.kube, ctx.config);
  if (ctx.request.headers['x-connector'] === 'cron-connector') {
    throw new GanglionError(400, 'cron_connector_call', 'each monitor is checked by its own CronJob (kubectl get cronjobs -l ganglion.dev/monitor); remove the topic: cron-function annotation from the monitor function in stack.yml');
  }
  const ids = inp.monitor ? [inp.monitor] : (await listMonitors(state, ctx.signal)).map((r) => r.monitor.id);
  const checks: CheckResult[] = [];
  for (const id of ids) checks.push(await checkMonitor(id, { config: ctx.config, kube: ctx.kube, state, now: ctx.now, signal: ctx.signal }));
  if (checks.length === 0) return { summary: 'no monitors yet; ask e.g. "Alert me if any pod restarts more than 3 times"', data: { checks } };
  return { summary: checks.map(resultLine).join('\n'), data: { checks } };
}

export const routes: FunctionRoute[] = [
  {
    method: 'GET',
    path: '/monitors',
    access: 'viewer',
    async handle(_req, ctx) {
      const list = await monitorListing(stateClient(ctx.kube, ctx.config), ctx.signal);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(list) };
    },
  },
];
