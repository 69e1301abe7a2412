/**
 * One check of one monitor: read the cluster, evaluate the rule, fold the findings into the incident state, deliver
 * the alert and resolve notices, record them in the Monitor object's alert history. Checks may run at once (a
 * CronJob's run and a person's "check my monitors now", in different pods): each records the notices it is about to
 * send in the Monitor's status as of the resourceVersion it read, and only the write that wins sends them; the other
 * gets 409, reads again and decides again — so an incident gets one alert, however many checks see it.
 */
import type { KubeAccess } from '../cluster/kube-access.js';
import { stateClient, type StateClient } from '../cluster-state/ganglion-objects.js';
import { deliverAll, type DeliveryResult } from '../notifications/deliver.js';
import type { Message } from '../notifications/message.js';
import type { RuntimeConfig } from '../kernel/config.js';
import { GanglionError } from '../kernel/errors.js';
import type { AlertRecord } from './monitor-store.js';
import { readSnapshot } from './cluster-snapshot.js';
import { evaluateRule, type ClusterSnapshot, type Finding } from './evaluate-rule.js';
import { advance, channelsLeft, recordDelivery, releaseDelivery, type Incident, type MonitorState, type Notice } from './incident-state.js';
import { describeRule, type Channel, type Monitor } from './monitor-rule.js';
import { readMonitor, saveMonitorStatus, type MonitorRecord } from './monitor-store.js';

export interface CheckDeps {
  config: RuntimeConfig;
  kube: KubeAccess;
  now: () => Date;
  signal?: AbortSignal;
  /** Tests inject the snapshot; default: read the cluster. */
  snapshot?: (monitor: Monitor, now: number) => Promise<ClusterSnapshot>;
  delayFn?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Where the Monitor objects are; default: the state client of deps.kube and deps.config. */
  state?: StateClient;
}

export interface CheckResult {
  monitor: string;
  cluster: string;
  firing: Array<Pick<Incident, 'subject' | 'namespace' | 'detail' | 'openedAt'>>;
  sent: Array<{ kind: Notice['kind']; subject: string; delivered: string[]; failed: string[] }>;
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
/** Status writes that lose to another writer before this check gives up (each one re-reads and decides again). */
const MAX_WRITES = 5;

/**
 * What fires now, given the state it is folded into. A cluster that cannot be read is itself an incident (the alert
 * people most need); the incidents already open are carried over unchanged, so an outage never reads as "everything
 * recovered".
 */
async function observe(monitor: Monitor, context: string, now: Date, deps: CheckDeps, read: () => Promise<ClusterSnapshot>): Promise<(state: MonitorState) => Finding[]> {
  try {
    const snapshot = await (deps.snapshot ? deps.snapshot(monitor, now.getTime()) : read());
    const findings = evaluateRule(monitor.rule, snapshot);
    return () => findings;
  } catch (err) {
    if (!(err instanceof GanglionError) || err.status < 500) throw err;
    const down = { key: UNREACHABLE, subject: `cluster/${context}`, detail: `cannot read the cluster: ${err.message}` };
    return (state) => [...Object.values(state.incidents).filter((i) => i.key !== UNREACHABLE).map((i) => ({ key: i.key, subject: i.subject, ...(i.namespace ? { namespace: i.namespace } : {}), detail: i.detail })), down];
  }
}

async function mustRead(state: StateClient, id: string, signal?: AbortSignal): Promise<MonitorRecord> {
  const rec = await readMonitor(state, id, signal);
  if (!rec) throw new GanglionError(404, 'monitor_not_found', `no monitor "${id}" in namespace ${state.namespace} (kubectl get monitors -n ${state.namespace}); list them with ganglion monitors`);
  return rec;
}

/** Writes `change(record)` as of the record's resourceVersion; on a conflict reads the monitor again and applies `change` to that. */
async function writeStatus(state: StateClient, rec: MonitorRecord, change: (r: MonitorRecord) => Pick<MonitorRecord, 'state' | 'alerts'>, signal?: AbortSignal): Promise<MonitorRecord> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await saveMonitorStatus(state, { object: rec.object, ...change(rec) }, signal);
    } catch (err) {
      if (!(err instanceof GanglionError && err.code === 'conflict')) throw err;
      if (attempt >= MAX_WRITES) throw new GanglionError(409, 'conflict', `monitor ${rec.monitor.id} changed under ${MAX_WRITES} checks in a row; ${err.message}; its next scheduled check tries again`, { cause: err });
      rec = await mustRead(state, rec.monitor.id, signal);
    }
  }
}

export async function checkMonitor(id: string, deps: CheckDeps): Promise<CheckResult> {
  const state = deps.state ?? stateClient(deps.kube, deps.config);
  const first = await mustRead(state, id, deps.signal);
  const monitor = first.monitor;
  const now = deps.now();
  const clients = await deps.kube.clients(monitor.cluster || undefined);
  const findingsFor = await observe(monitor, clients.context, now, deps, () => readSnapshot(clients, monitor.rule, now.getTime()));

  // Claim: the notices this check sends are recorded as sent before they go out; the write that wins sends them.
  let claimed: Array<{ notice: Notice; todo: Channel[]; notify: Channel[] }> = [];
  let rec = await writeStatus(state, first, (r) => {
    const step = advance(r.state, findingsFor(r.state), now.toISOString());
    claimed = step.notices.map((notice) => ({ notice, todo: channelsLeft(notice, r.monitor.notify), notify: r.monitor.notify }));
    return { state: claimed.reduce((s, c) => recordDelivery(s, c.notice, c.todo, c.notify), step.state), alerts: r.alerts };
  }, deps.signal);

  const sent: CheckResult['sent'] = [];
  const outcomes: Array<{ notice: Notice; notify: Channel[]; failed: Channel[]; record?: AlertRecord }> = [];
  for (const { notice: n, todo, notify } of claimed) {
    const results: DeliveryResult[] = todo.length
      ? await deliverAll(todo, noticeMessage(n, monitor, clients.context), { config: deps.config, now: deps.now, ...(deps.signal ? { signal: deps.signal } : {}), ...(deps.delayFn ? { delayFn: deps.delayFn } : {}) })
      : [];
    const ok = results.filter((r) => r.ok).map((r) => r.channel);
    const failedChannels = results.filter((r) => !r.ok).map((r) => r.channel);
    // The alert history (what the weekly report lists) gets each notice once: when it first reaches anyone.
    const firstTime = todo.length === notify.length;
    const record: AlertRecord | undefined = firstTime && (ok.length > 0 || notify.length === 0)
      ? { time: now.toISOString(), monitor: monitor.id, kind: n.kind, subject: n.incident.subject, ...(n.incident.namespace ? { namespace: n.incident.namespace } : {}), detail: n.incident.detail, delivered: ok }
      : undefined;
    outcomes.push({ notice: n, notify, failed: failedChannels, ...(record ? { record } : {}) });
    sent.push({ kind: n.kind, subject: where(n.incident), delivered: ok, failed: results.filter((r) => !r.ok).map((r) => r.error ?? r.channel) });
  }
  // Settle: a channel that failed is given back (the next check tries it again); what was sent joins the history.
  if (outcomes.some((o) => o.failed.length || o.record)) {
    rec = await writeStatus(state, rec, (r) => ({
      state: outcomes.reduce((s, o) => releaseDelivery(s, o.notice, o.failed, o.notify), r.state),
      alerts: [...r.alerts, ...outcomes.flatMap((o) => (o.record ? [o.record] : []))],
    }), deps.signal);
  }
  return {
    monitor: monitor.id,
    cluster: clients.context,
    firing: Object.values(rec.state.incidents).map((i) => ({ subject: i.subject, ...(i.namespace ? { namespace: i.namespace } : {}), detail: i.detail, openedAt: i.openedAt })),
    sent,
  };
}
