/**
 * One check of one monitor: read the cluster, evaluate the rule, fold the findings into the incident state, deliver
 * the alert and resolve notices, record them in the alert log, save. Checks of the same monitor never overlap in a
 * process, so two ticks cannot both send the same alert.
 */
import type { KubeAccess } from '../cluster/kube-access.js';
import { deliverAll, type DeliveryResult } from '../notifications/deliver.js';
import type { Message } from '../notifications/message.js';
import type { RuntimeConfig } from '../kernel/config.js';
import { GanglionError } from '../kernel/errors.js';
import { appendAlert } from './alert-log.js';
import { readSnapshot } from './cluster-snapshot.js';
import { evaluateRule, type ClusterSnapshot, type Finding } from './evaluate-rule.js';
import { advance, channelsLeft, recordDelivery, type Incident, type Notice } from './incident-state.js';
import { describeRule, type Monitor } from './monitor-rule.js';
import { readMonitor, saveMonitor, type MonitorRecord } from './monitor-store.js';

export interface CheckDeps {
  config: RuntimeConfig;
  kube: KubeAccess;
  now: () => Date;
  signal?: AbortSignal;
  /** Tests inject the snapshot; default: read the cluster. */
  snapshot?: (monitor: Monitor, now: number) => Promise<ClusterSnapshot>;
  delayFn?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CheckResult {
  monitor: string;
  cluster: string;
  firing: Array<Pick<Incident, 'subject' | 'namespace' | 'detail' | 'openedAt'>>;
  sent: Array<{ kind: Notice['kind']; subject: string; delivered: string[]; failed: string[] }>;
}

const running = new Map<string, Promise<unknown>>();

/** Runs `fn` after any check of the same monitor in this process has finished. */
function serialised<T>(id: string, fn: () => Promise<T>): Promise<T> {
  const before = running.get(id) ?? Promise.resolve();
  const next = before.then(fn, fn);
  running.set(id, next);
  const done = () => { if (running.get(id) === next) running.delete(id); };
  next.then(done, done);
  return next;
}

const where = (i: Incident) => `${i.subject}${i.namespace ? ` in ${i.namespace}` : ''}`;
const minutesBetween = (a: string, b: string) => Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 60_000));

export function noticeMessage(n: Notice, monitor: Monitor, cluster: string): Message {
  const rule = describeRule(monitor.rule);
  const context = `monitor ${monitor.id} · cluster ${cluster} · ${n.kind === 'alert' ? `since ${n.incident.openedAt}` : `resolved ${n.incident.resolvedAt ?? ''}`}`;
  if (n.kind === 'alert') {
    return { kind: 'alert', title: `Alert: ${where(n.incident)} — ${rule}`, lines: [n.incident.detail], context, data: { monitor: monitor.id, subject: n.incident.subject, namespace: n.incident.namespace, incident: n.incident } };
  }
  const open = minutesBetween(n.incident.openedAt, n.incident.resolvedAt ?? n.incident.lastSeenAt);
  return { kind: 'resolve', title: `Resolved: ${where(n.incident)} — ${rule}`, lines: [`recovered after ${open} minute${open === 1 ? '' : 's'}; last seen: ${n.incident.detail}`], context, data: { monitor: monitor.id, subject: n.incident.subject, namespace: n.incident.namespace, incident: n.incident } };
}

const UNREACHABLE = 'cluster-unreachable';

/**
 * What fires now. A cluster that cannot be read is itself an incident (the alert people most need); the incidents
 * already open are carried over unchanged, so an outage never reads as "everything recovered".
 */
async function currentFindings(monitor: Monitor, state: MonitorRecord['state'], context: string, now: Date, deps: CheckDeps, read: () => Promise<ClusterSnapshot>): Promise<Finding[]> {
  try {
    const snapshot = await (deps.snapshot ? deps.snapshot(monitor, now.getTime()) : read());
    return evaluateRule(monitor.rule, snapshot);
  } catch (err) {
    if (!(err instanceof GanglionError) || err.status < 500) throw err;
    const carried = Object.values(state.incidents).filter((i) => i.key !== UNREACHABLE).map((i) => ({ key: i.key, subject: i.subject, ...(i.namespace ? { namespace: i.namespace } : {}), detail: i.detail }));
    return [...carried, { key: UNREACHABLE, subject: `cluster/${context}`, detail: `cannot read the cluster: ${err.message}` }];
  }
}

export function checkMonitor(id: string, deps: CheckDeps): Promise<CheckResult> {
  return serialised(id, async () => {
    const home = deps.config.home;
    const record = readMonitor(home, id);
    if (!record) throw new GanglionError(404, 'monitor_not_found', `no monitor "${id}" under ${home}/monitors; list them with ganglion monitors`);
    const { monitor } = record;
    const now = deps.now();
    const clients = await deps.kube.clients(monitor.cluster || undefined);
    const findings = await currentFindings(monitor, record.state, clients.context, now, deps, () => readSnapshot(clients, monitor.rule, now.getTime()));
    const { state, notices } = advance(record.state, findings, now.toISOString());
    let next = state;
    const sent: CheckResult['sent'] = [];
    for (const n of notices) {
      const todo = channelsLeft(n, monitor.notify);
      const results: DeliveryResult[] = todo.length
        ? await deliverAll(todo, noticeMessage(n, monitor, clients.context), { config: deps.config, now: deps.now, ...(deps.signal ? { signal: deps.signal } : {}), ...(deps.delayFn ? { delayFn: deps.delayFn } : {}) })
        : [];
      const ok = results.filter((r) => r.ok).map((r) => r.channel);
      const failed = results.filter((r) => !r.ok).map((r) => r.error ?? r.channel);
      // A channel that failed is tried again at the next check; the ones that took it are not sent it twice.
      next = recordDelivery(next, n, ok, monitor.notify);
      // The alert log (what the weekly report lists) gets each notice once: when it first reaches anyone.
      const firstTime = todo.length === monitor.notify.length;
      if (firstTime && (ok.length > 0 || monitor.notify.length === 0)) {
        appendAlert(home, { time: now.toISOString(), monitor: monitor.id, kind: n.kind, subject: n.incident.subject, ...(n.incident.namespace ? { namespace: n.incident.namespace } : {}), detail: n.incident.detail, delivered: ok });
      }
      sent.push({ kind: n.kind, subject: where(n.incident), delivered: ok, failed });
      // Saved after each notice: a crash mid-check re-sends at most the notice in flight.
      saveMonitor(home, { monitor, state: next });
    }
    saveMonitor(home, { monitor, state: next });
    return {
      monitor: monitor.id,
      cluster: clients.context,
      firing: Object.values(next.incidents).map((i) => ({ subject: i.subject, ...(i.namespace ? { namespace: i.namespace } : {}), detail: i.detail, openedAt: i.openedAt })),
      sent,
    };
  });
}
