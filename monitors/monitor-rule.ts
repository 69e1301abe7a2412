/** Monitor rules: what a monitor watches (restarts over N, not ready for M minutes, node NotReady, Deployment unavailable, pod health). */
import * as z from 'zod';
import type { Channel } from '../notifications/deliver.js';

export const RULE_KINDS = ['restarts', 'not-ready', 'node-not-ready', 'deployment-unavailable', 'pod-health'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export type { Channel };

export const ruleSchema = z.object({
  kind: z.enum(RULE_KINDS).describe('restarts: a pod restarted more than `threshold` times; not-ready: a pod not Ready for `minutes`; node-not-ready: a node not Ready for `minutes`; deployment-unavailable: a Deployment without its available replicas for `minutes`; pod-health: any unhealthy pod (CrashLoopBackOff, ImagePullBackOff, Pending, OOMKilled, failing probes)'),
  threshold: z.number().int().min(0).max(10_000).optional().describe('restarts: alert when restarts are above this (default 3)'),
  minutes: z.number().int().min(0).max(10_080).optional().describe('how long a condition must hold before it counts (default 5 for not-ready, 2 for nodes and Deployments)'),
  namespace: z.string().max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).optional().describe('only this namespace; default: all'),
  windowMinutes: z.number().int().min(1).max(10_080).optional().describe('restarts: a pod counts while its last restart is this recent or it is not Ready (default 60)'),
}).strict();
export type MonitorRule = z.infer<typeof ruleSchema>;

export interface Monitor {
  /** DNS-label id, e.g. pod-restarts-over-3. */
  id: string;
  rule: MonitorRule;
  /** Five-field cron, as cron-connector reads it. */
  schedule: string;
  notify: Channel[];
  /** kubeconfig context; empty = the configured one. */
  cluster?: string;
  /** The CronJob that invokes the check, `<namespace>/ganglion-monitor-<id>` (automate creates both). */
  scheduledBy: string;
  /** When the Monitor object was created (its metadata.creationTimestamp). */
  createdAt?: string;
}

export const DEFAULTS = { threshold: 3, notReadyMinutes: 5, nodeMinutes: 2, deploymentMinutes: 2, windowMinutes: 60 };

/** A stable id, so asking again updates the same monitor instead of adding a twin. */
export function monitorId(rule: MonitorRule): string {
  const ns = rule.namespace ? `-${rule.namespace}` : '';
  switch (rule.kind) {
    case 'restarts': return `pod-restarts-over-${rule.threshold ?? DEFAULTS.threshold}${ns}`;
    case 'not-ready': return `pods-not-ready-${rule.minutes ?? DEFAULTS.notReadyMinutes}m${ns}`;
    case 'node-not-ready': return 'node-not-ready';
    case 'deployment-unavailable': return `deployment-unavailable${ns}`;
    case 'pod-health': return `pod-health${ns}`;
  }
}

/** The rule as a person says it: "pods restarting more than 3 times (all namespaces)". */
export function describeRule(rule: MonitorRule): string {
  const where = rule.namespace ? ` in namespace ${rule.namespace}` : '';
  switch (rule.kind) {
    case 'restarts': return `pods restarting more than ${rule.threshold ?? DEFAULTS.threshold} times${where}`;
    case 'not-ready': return `pods not Ready for ${rule.minutes ?? DEFAULTS.notReadyMinutes} minutes${where}`;
    case 'node-not-ready': return `nodes NotReady for ${rule.minutes ?? DEFAULTS.nodeMinutes} minutes`;
    case 'deployment-unavailable': return `Deployments unavailable for ${rule.minutes ?? DEFAULTS.deploymentMinutes} minutes${where}`;
    case 'pod-health': return `pod health${where}`;
  }
}

/** "*\/5 * * * *" → "every 5 minutes"; other expressions are shown as they are. */
export function describeSchedule(schedule: string): string {
  const s = schedule.trim();
  if (s === '* * * * *') return 'every minute';
  const everyMin = /^\*\/(\d+) \* \* \* \*$/.exec(s);
  if (everyMin) return `every ${everyMin[1]} minutes`;
  const everyHour = /^0 \*\/(\d+) \* \* \*$/.exec(s);
  if (everyHour) return everyHour[1] === '1' ? 'every hour' : `every ${everyHour[1]} hours`;
  if (s === '0 * * * *' || s === '@hourly') return 'every hour';
  const weekly = /^(\d+) (\d+) \* \* 1$/.exec(s);
  if (weekly) return `every Monday at ${weekly[2]?.padStart(2, '0')}:${weekly[1]?.padStart(2, '0')}`;
  const daily = /^(\d+) (\d+) \* \* \*$/.exec(s);
  if (daily) return `every day at ${daily[2]?.padStart(2, '0')}:${daily[1]?.padStart(2, '0')}`;
  if (s === '@weekly') return 'every week';
  if (s === '@daily') return 'every day';
  return `on "${s}"`;
}
