/**
 * automate: "alert me if…", "automate that", "weekly report" become a monitor record (under $GANGLION_HOME/monitors)
 * and a run-time schedule on the gateway — new behaviour without new code. Mutating (it changes what Ganglion does on
 * its own), so it runs only as an approved step; its dry run shows each setting before → after.
 */
import type { z } from 'zod';
import { GanglionError } from '../../kernel/errors.js';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { parseCronExpression } from '../../scheduler/cron-expression.js';
import { listMonitors, readMonitor, removeMonitor, saveMonitor } from '../../monitors/monitor-store.js';
import { emptyState } from '../../monitors/incident-state.js';
import { describeRule, describeSchedule, monitorId, type Channel, type Monitor, type MonitorRule } from '../../monitors/monitor-rule.js';
import { channelsFor, channelUrl, setupHint } from '../../notifications/deliver.js';
import { deleteSchedule, putSchedule, readSchedule } from './schedules-client.js';
import { findPipeline, savePipeline } from '../../ci-pipelines/ci-pipelines.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { readSecret, SECRET } from '../../kernel/secrets.js';
import type { Change } from '../../events/change.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;
export interface AutomateData { changes: Change[]; monitor?: string; scheduleId: string; schedule: string; every: string; notify: Channel[]; scheduledBy: Monitor['scheduledBy'] }

const channelText = (c: Channel[]) => (c.length ? c.map((x) => (x === 'slack' ? 'Slack' : 'webhook')).join(' and ') : 'no');

function ruleOf(inp: Input): MonitorRule {
  return {
    kind: inp.rule,
    ...(inp.threshold !== undefined ? { threshold: inp.threshold } : {}),
    ...(inp.minutes !== undefined ? { minutes: inp.minutes } : {}),
    ...(inp.namespace ? { namespace: inp.namespace } : {}),
  };
}

/** "Slack alerts enabled." plus how to finish the setup when the channel has no URL yet. */
function channelNote(ctx: FunctionContext, channels: Channel[], noun: string): string {
  if (!channels.length) return `No ${noun} will be sent (notify: none).`;
  const missing = channels.filter((c) => !channelUrl(ctx.config, c));
  const text = `${channelText(channels)} ${noun} enabled.`;
  return missing.length ? `${text} No ${missing.join('/')} webhook is configured yet: ${missing.map(setupHint).join('; ')}.` : text;
}

async function removeStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  const rule = ruleOf(inp);
  const id = monitorId(rule);
  const scheduleId = `monitor-${id}`;
  const existing = readMonitor(ctx.config.home, id);
  const others = listMonitors(ctx.config.home).map((r) => r.monitor.id).filter((x) => x !== id);
  if (!existing) throw new GanglionError(404, 'monitor_not_found', `there is no monitor ${id} (${describeRule(rule)}); monitors: ${others.join(', ') || 'none'}`);
  const changes: Change[] = [
    { object: `monitor/${id}`, field: 'rule', before: describeRule(existing.monitor.rule), after: null },
    { object: `schedule/${scheduleId}`, field: 'schedule', before: existing.monitor.schedule, after: null },
  ];
  const base = { monitor: id, scheduleId, schedule: existing.monitor.schedule, every: describeSchedule(existing.monitor.schedule), notify: existing.monitor.notify, scheduledBy: existing.monitor.scheduledBy };
  if (inp.dryRun) return { summary: `would stop monitor ${id} (${describeRule(existing.monitor.rule)}, ${base.every})`, data: { changes, ...base } };
  await deleteSchedule(ctx.config, scheduleId, ctx.signal);
  removeMonitor(ctx.config.home, id);
  const open = Object.keys(existing.state.incidents).length;
  return { summary: `Done. Stopped checking ${describeRule(existing.monitor.rule)}${open ? ` (${open} open incident${open === 1 ? '' : 's'} dropped without a resolve notice)` : ''}.`, data: { changes, ...base } };
}

async function monitorStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  if (inp.remove) return removeStep(inp, ctx);
  const rule = ruleOf(inp);
  const id = monitorId(rule);
  const schedule = inp.schedule ?? '*/5 * * * *';
  const channels = channelsFor(inp.notify);
  const scheduleId = `monitor-${id}`;
  const existing = readMonitor(ctx.config.home, id);
  const current = await readSchedule(ctx.config, scheduleId, ctx.signal);
  const changes: Change[] = [
    { object: `monitor/${id}`, field: 'rule', before: existing ? describeRule(existing.monitor.rule) : null, after: describeRule(rule) },
    { object: `schedule/${scheduleId}`, field: 'schedule', before: current && current !== 'unsupported' ? current.schedule : existing?.monitor.schedule ?? null, after: schedule },
    { object: `monitor/${id}`, field: 'notify', before: existing ? existing.monitor.notify.join(',') || 'none' : null, after: channels.join(',') || 'none' },
  ];
  const every = describeSchedule(schedule);
  const base = { monitor: id, scheduleId, schedule, every, notify: channels };
  if (inp.dryRun) {
    return { summary: `would ${existing ? 'update' : 'create'} monitor ${id}: ${describeRule(rule)}, checked ${every}, ${channelText(channels)} alerts`, data: { changes, ...base, scheduledBy: current === 'unsupported' ? 'stack-cron' : 'gateway' } };
  }
  const put = await putSchedule(ctx.config, scheduleId, { function: 'monitor', schedule, body: { monitor: id } }, ctx.signal);
  const scheduledBy: Monitor['scheduledBy'] = put === 'unsupported' ? 'stack-cron' : 'gateway';
  const now = ctx.now().toISOString();
  saveMonitor(ctx.config.home, {
    monitor: { id, rule, schedule, notify: channels, ...(inp.cluster ? { cluster: inp.cluster } : {}), scheduledBy, createdAt: existing?.monitor.createdAt ?? now, updatedAt: now },
    state: existing?.state ?? emptyState(),
  });
  const what = rule.kind === 'pod-health' ? `pod health${rule.namespace ? ` in ${rule.namespace}` : ''}` : `for ${describeRule(rule)}`;
  const via = scheduledBy === 'stack-cron' ? ' (this gateway has no schedules API: the monitor function\'s stack.yml cron runs it)' : '';
  return { summary: `Done. Now checking ${what} ${every}${via}. ${channelNote(ctx, channels, 'alerts')}`, data: { changes, ...base, scheduledBy } };
}

async function reportStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  const schedule = inp.schedule ?? '0 8 * * 1';
  const channels = channelsFor(inp.notify);
  const scheduleId = 'infrastructure-report';
  const current = await readSchedule(ctx.config, scheduleId, ctx.signal);
  if (current === 'unsupported') {
    throw new GanglionError(501, 'schedules_unsupported', `this gateway has no /system/schedules API; schedule the report with annotations on the report function in stack.yml (topic: cron-function, schedule: "${schedule}")`);
  }
  const every = describeSchedule(schedule);
  const changes: Change[] = [
    { object: `schedule/${scheduleId}`, field: 'schedule', before: current?.schedule ?? null, after: schedule },
    { object: `schedule/${scheduleId}`, field: 'notify', before: current?.body ? (JSON.parse(current.body) as { notify?: string }).notify ?? null : null, after: inp.notify },
  ];
  const base = { scheduleId, schedule, every, notify: channels, scheduledBy: 'gateway' as const };
  if (inp.dryRun) return { summary: `would send the infrastructure report ${every} to ${channelText(channels)}`, data: { changes, ...base } };
  await putSchedule(ctx.config, scheduleId, { function: 'report', schedule, body: { notify: inp.notify, ...(inp.cluster ? { cluster: inp.cluster } : {}) } }, ctx.signal);
  return { summary: `Done. The infrastructure report goes out ${every}. ${channelNote(ctx, channels, 'delivery')}`, data: { changes, ...base } };
}

async function ciStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  if (!inp.name || !inp.namespace) throw new GanglionError(400, 'invalid_input', 'a push pipeline needs the Deployment to deploy: give name and namespace');
  const target = `${inp.namespace}/${inp.name}`;
  const state = stateClient(ctx.kube, ctx.config);
  const before = await findPipeline(state, { branch: inp.branch, name: inp.name, namespace: inp.namespace }, ctx.signal);
  const changes: Change[] = [{ object: `pipeline/${inp.branch}`, field: 'push deploys', before: before ? target : null, after: target }];
  const base = { scheduleId: `push:${inp.branch}`, schedule: `on push to ${inp.branch}`, every: `on every push to ${inp.branch}`, notify: [] as Channel[], scheduledBy: 'gateway' as const };
  if (inp.dryRun) return { summary: `would test, deploy ${inp.name} and verify on every signed push to ${inp.branch}`, data: { changes, ...base } };
  await savePipeline(state, { branch: inp.branch, name: inp.name, namespace: inp.namespace }, ctx.signal);
  const secret = readSecret(ctx.config, SECRET.github.name, ctx.config.alerts.githubWebhookSecret)
    ? 'signed with the github-webhook-secret'
    : `signed with a secret you also store as the OpenFaaS secret ${SECRET.github.name} (or ${SECRET.github.env}) — none is set yet, so pushes are refused until it is`;
  return {
    summary: `Done. Every push to ${inp.branch} now runs the tests, deploys ${inp.name} (tag = the commit) and verifies it. In GitHub add a webhook to ${ctx.config.gatewayUrl}/function/github-webhook, content type application/json, ${secret}. Deploys wait for approval unless an ApprovalPolicy approves deploy in ${inp.namespace}.`,
    data: { changes, ...base },
  };
}

export async function handle(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  if (inp.schedule) parseCronExpression(inp.schedule);
  if (inp.what === 'ci') return ciStep(inp, ctx);
  return inp.what === 'report' ? reportStep(inp, ctx) : monitorStep(inp, ctx);
}
