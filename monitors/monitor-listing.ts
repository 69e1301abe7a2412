/** What `ganglion monitors` shows: each monitor with its rule, schedule, channels and what is firing, read from the Monitor objects. */
import type { StateClient } from '../cluster-state/ganglion-objects.js';
import { listMonitors } from './monitor-store.js';
import { describeRule, describeSchedule, type Monitor } from './monitor-rule.js';

export interface MonitorView {
  id: string;
  rule: Monitor['rule'];
  description: string;
  schedule: string;
  every: string;
  notify: string[];
  cluster?: string;
  scheduledBy: Monitor['scheduledBy'];
  lastCheckAt?: string;
  firing: Array<{ subject: string; namespace?: string; detail: string; openedAt: string }>;
}

export async function monitorListing(state: StateClient, signal?: AbortSignal): Promise<MonitorView[]> {
  return (await listMonitors(state, signal)).map(({ monitor: m, state: s }) => ({
    id: m.id, rule: m.rule, description: describeRule(m.rule), schedule: m.schedule, every: describeSchedule(m.schedule), notify: m.notify,
    ...(m.cluster ? { cluster: m.cluster } : {}), scheduledBy: m.scheduledBy, ...(s.lastCheckAt ? { lastCheckAt: s.lastCheckAt } : {}),
    firing: Object.values(s.incidents).map((i) => ({ subject: i.subject, ...(i.namespace ? { namespace: i.namespace } : {}), detail: i.detail, openedAt: i.openedAt })),
  }));
}
