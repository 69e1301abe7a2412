/**
 * monitor: the check a schedule invokes. With `monitor` it checks that one; with an empty body (cron-connector's
 * call from the stack.yml annotation) it checks the monitors that rely on that cron and are due this minute.
 * GET /monitors lists every monitor with what is firing (ganglion monitors reads it).
 */
import type { z } from 'zod';
import { listMonitors } from '../../monitors/monitor-store.js';
import { checkMonitor, type CheckResult } from '../../monitors/check-monitor.js';
import { parseCronExpression } from '../../scheduler/cron-expression.js';
import type { FunctionContext, FunctionRoute, StepResult } from '../../function-kit/function-module.js';
import { monitorListing } from '../../monitors/monitor-listing.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

const minuteOf = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

function dueIds(ctx: FunctionContext, all: boolean): string[] {
  const minute = minuteOf(ctx.now());
  return listMonitors(ctx.config.home)
    .filter((r) => all || (r.monitor.scheduledBy === 'stack-cron' && parseCronExpression(r.monitor.schedule).dueAt(minute)))
    .map((r) => r.monitor.id);
}

function resultLine(r: CheckResult): string {
  const sent = r.sent.map((s) => `${s.kind === 'alert' ? 'alerted' : 'resolved'} ${s.subject}${s.failed.length ? ` (not delivered: ${s.failed.join('; ')})` : ''}`);
  const firing = r.firing.length ? `${r.firing.length} firing: ${r.firing.map((f) => `${f.subject}${f.namespace ? ` in ${f.namespace}` : ''}`).join(', ')}` : 'nothing firing';
  return `${r.monitor}: ${firing}${sent.length ? `; ${sent.join('; ')}` : ''}`;
}

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<{ checks: CheckResult[] }>> {
  const ids = inp.monitor ? [inp.monitor] : dueIds(ctx, inp.all);
  const checks: CheckResult[] = [];
  for (const id of ids) checks.push(await checkMonitor(id, { config: ctx.config, kube: ctx.kube, now: ctx.now, signal: ctx.signal }));
  if (checks.length === 0) return { summary: inp.all ? 'no monitors yet; ask e.g. "Alert me if any pod restarts more than 3 times"' : 'no monitor due this minute', data: { checks } };
  return { summary: checks.map(resultLine).join('\n'), data: { checks } };
}

export const routes: FunctionRoute[] = [
  {
    method: 'GET',
    path: '/monitors',
    async handle(_req, ctx) {
      const list = monitorListing(ctx.config.home);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(list) };
    },
  },
];

