/**
 * automate: "alert me if…", "automate that", "weekly report" become cluster objects — a Monitor (ganglion.dev, in the
 * state namespace) and a batch/v1 CronJob in the workers namespace whose pods run the worker's `invoke` role against
 * the gateway — new behaviour without new code, and nothing a Ganglion process has to remember. Mutating (it changes
 * what Ganglion does on its own), so it runs only as an approved step; its dry run shows each setting before → after.
 */
import type { z } from 'zod';
import type { V1CronJob } from '@kubernetes/client-node';
import { GanglionError } from '../../kernel/errors.js';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { parseCronExpression } from '../../scheduler/cron-expression.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { applyCronJob, deleteCronJob, invokeBody, invokeCronJobManifest, readCronJob } from '../../cluster/invoke-cronjob.js';
import { listMonitors, putMonitor, readMonitor, removeMonitor } from '../../monitors/monitor-store.js';
import { describeRule, describeSchedule, monitorId, type Channel, type MonitorRule } from '../../monitors/monitor-rule.js';
import { channelsFor, channelUrl, setupHint } from '../../notifications/deliver.js';
import { findPipeline, savePipeline } from '../../ci-pipelines/ci-pipelines.js';
import { SECRET } from '../../kernel/secrets.js';
import type { Change } from '../../events/change.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

type Input = z.infer<typeof input>;
/** `cronJob`: `<namespace>/<name>` of the CronJob that does the work on schedule. */
export interface AutomateData { changes: Change[]; monitor?: string; cronJob: string; schedule: string; every: string; notify: Channel[] }

/** The CronJob of a monitor, and of the weekly report. */
export const monitorCronJobName = (id: string) => `ganglion-monitor-${id}`;
export const REPORT_CRONJOB = 'ganglion-report';

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
  // automate does not send them and, on OpenFaaS, is not given the channels' secrets (stack.yml mounts them on monitor,
  // report and notify): when it cannot see a URL it says where one goes, not that none is set.
  return missing.length ? `${text} They are sent with the ${missing.join('/')} webhook of the functions that send them; if none is set yet: ${missing.map(setupHint).join('; ')}.` : text;
}

/** The CronJob calling `fn` with `body` on `schedule` (the home cluster, the workers namespace). */
function cronJobFor(ctx: FunctionContext, name: string, schedule: string, fn: string, body: Record<string, unknown>, labels: Record<string, string>): V1CronJob {
  const { workers } = ctx.config;
  return invokeCronJobManifest({ name, namespace: workers.namespace, schedule, image: workers.image, gatewayUrl: ctx.config.gatewayUrl, function: fn, body, labels, ttlSeconds: workers.ttlSeconds });
}

async function removeStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  const rule = ruleOf(inp);
  const id = monitorId(rule);
  const state = stateClient(ctx.kube, ctx.config);
  const c = await ctx.kube.clients();
  const ns = ctx.config.workers.namespace;
  const cronName = monitorCronJobName(id);
  const existing = await readMonitor(state, id, ctx.signal);
  if (!existing) {
    const others = (await listMonitors(state, ctx.signal)).map((r) => r.monitor.id);
    throw new GanglionError(404, 'monitor_not_found', `there is no monitor ${id} (${describeRule(rule)}); monitors: ${others.join(', ') || 'none'}`);
  }
  const cron = await readCronJob(c, ns, cronName);
  const changes: Change[] = [
    { object: `monitor/${id}`, namespace: state.namespace, field: 'rule', before: describeRule(existing.monitor.rule), after: null },
    { object: `cronjob/${cronName}`, namespace: ns, field: 'schedule', before: cron?.spec?.schedule ?? null, after: null },
  ];
  const base = { monitor: id, cronJob: `${ns}/${cronName}`, schedule: existing.monitor.schedule, every: describeSchedule(existing.monitor.schedule), notify: existing.monitor.notify };
  if (inp.dryRun) return { summary: `would stop monitor ${id} (${describeRule(existing.monitor.rule)}, ${base.every})`, data: { changes, ...base } };
  // the CronJob first: a firing in between finds the monitor still there
  await deleteCronJob(c, ns, cronName);
  await removeMonitor(state, id, ctx.signal);
  const open = Object.keys(existing.state.incidents).length;
  return { summary: `Done. Stopped checking ${describeRule(existing.monitor.rule)}${open ? ` (${open} open incident${open === 1 ? '' : 's'} dropped without a resolve notice)` : ''}.`, data: { changes, ...base } };
}

async function monitorStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  if (inp.remove) return removeStep(inp, ctx);
  const rule = ruleOf(inp);
  const id = monitorId(rule);
  const schedule = inp.schedule ?? '*/5 * * * *';
  const channels = channelsFor(inp.notify);
  const state = stateClient(ctx.kube, ctx.config);
  const c = await ctx.kube.clients();
  const ns = ctx.config.workers.namespace;
  const cronName = monitorCronJobName(id);
  const existing = await readMonitor(state, id, ctx.signal);
  const cron = await readCronJob(c, ns, cronName);
  const changes: Change[] = [
    { object: `monitor/${id}`, namespace: state.namespace, field: 'rule', before: existing ? describeRule(existing.monitor.rule) : null, after: describeRule(rule) },
    { object: `monitor/${id}`, namespace: state.namespace, field: 'notify', before: existing ? existing.monitor.notify.join(',') || 'none' : null, after: channels.join(',') || 'none' },
    { object: `cronjob/${cronName}`, namespace: ns, field: 'schedule', before: cron?.spec?.schedule ?? null, after: schedule },
  ];
  const every = describeSchedule(schedule);
  const base = { monitor: id, cronJob: `${ns}/${cronName}`, schedule, every, notify: channels };
  if (inp.dryRun) {
    return { summary: `would ${existing ? 'update' : 'create'} monitor ${id}: ${describeRule(rule)}, checked ${every}, ${channelText(channels)} alerts`, data: { changes, ...base } };
  }
  // the Monitor first: the CronJob's first firing must find it
  await putMonitor(state, { id, rule, schedule, notify: channels, ...(inp.cluster ? { cluster: inp.cluster } : {}), scheduledBy: `${ns}/${cronName}` }, ctx.signal);
  await applyCronJob(c, cronJobFor(ctx, cronName, schedule, 'monitor', { monitor: id }, { 'ganglion.dev/monitor': id }));
  const what = rule.kind === 'pod-health' ? `pod health${rule.namespace ? ` in ${rule.namespace}` : ''}` : `for ${describeRule(rule)}`;
  return { summary: `Done. Now checking ${what} ${every}. ${channelNote(ctx, channels, 'alerts')}`, data: { changes, ...base } };
}

async function reportStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  const schedule = inp.schedule ?? '0 8 * * 1';
  const channels = channelsFor(inp.notify);
  const c = await ctx.kube.clients();
  const ns = ctx.config.workers.namespace;
  const cron = await readCronJob(c, ns, REPORT_CRONJOB);
  const every = describeSchedule(schedule);
  const body = { notify: inp.notify, ...(inp.cluster ? { cluster: inp.cluster } : {}) };
  const changes: Change[] = [
    { object: `cronjob/${REPORT_CRONJOB}`, namespace: ns, field: 'schedule', before: cron?.spec?.schedule ?? null, after: schedule },
    { object: `cronjob/${REPORT_CRONJOB}`, namespace: ns, field: 'notify', before: (invokeBody(cron)?.notify as string | undefined) ?? null, after: inp.notify },
  ];
  const base = { cronJob: `${ns}/${REPORT_CRONJOB}`, schedule, every, notify: channels };
  if (inp.dryRun) return { summary: `would send the infrastructure report ${every} to ${channelText(channels)}`, data: { changes, ...base } };
  await applyCronJob(c, cronJobFor(ctx, REPORT_CRONJOB, schedule, 'report', body, { 'ganglion.dev/report': 'weekly' }));
  return { summary: `Done. The infrastructure report goes out ${every}. ${channelNote(ctx, channels, 'delivery')}`, data: { changes, ...base } };
}

async function ciStep(inp: Input, ctx: FunctionContext): Promise<StepResult<AutomateData>> {
  if (!inp.name || !inp.namespace) throw new GanglionError(400, 'invalid_input', 'a push pipeline needs the Deployment to deploy: give name and namespace');
  const target = `${inp.namespace}/${inp.name}`;
  const state = stateClient(ctx.kube, ctx.config);
  const before = await findPipeline(state, { branch: inp.branch, name: inp.name, namespace: inp.namespace }, ctx.signal);
  const changes: Change[] = [{ object: `pipeline/${inp.branch}`, field: 'push deploys', before: before ? target : null, after: target }];
  const base = { cronJob: '', schedule: `on push to ${inp.branch}`, every: `on every push to ${inp.branch}`, notify: [] as Channel[] };
  if (inp.dryRun) return { summary: `would test, deploy ${inp.name} and verify on every signed push to ${inp.branch}`, data: { changes, ...base } };
  await savePipeline(state, { branch: inp.branch, name: inp.name, namespace: inp.namespace }, ctx.signal);
  // Only github-webhook holds the secret (stack.yml lists it there alone), so name it rather than guess whether it is set.
  const secret = `signed with the secret stored as the OpenFaaS secret ${SECRET.github.name} (faas-cli secret create ${SECRET.github.name} --from-literal "<the webhook's secret>"); unsigned or wrongly signed pushes are refused`;
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
