/**
 * Monitors as Monitor objects (ganglion.dev/v1alpha1, k8s/05-crds.yaml) in the state namespace: the spec is what
 * automate set up (rule, schedule, channels), the status what the checks keep (incidents, the alerts sent). Every
 * function pod sees one copy; a status write carries its resourceVersion, so two checks never both win.
 */
import type { GanglionObject, StateClient } from '../cluster-state/ganglion-objects.js';
import { GanglionError } from '../kernel/errors.js';
import { emptyState, type MonitorState } from './incident-state.js';
import { describeRule, type Monitor } from './monitor-rule.js';

/** One alert or resolve notice a monitor sent, as its Monitor's status keeps it (the weekly report lists them). */
export interface AlertRecord {
  time: string;
  monitor: string;
  kind: 'alert' | 'resolve';
  subject: string;
  namespace?: string;
  detail: string;
  /** Channels it reached. */
  delivered: string[];
}

// type aliases, not interfaces: a GanglionObject's spec and status are records
export type MonitorSpec = {
  description: string;
  rule: Monitor['rule'];
  schedule: string;
  notify: Monitor['notify'];
  cluster?: string;
  scheduledBy: string;
};

export type MonitorStatus = {
  /** Open incidents: what `kubectl get monitors` shows as FIRING. */
  firing?: number;
  lastCheckAt?: string;
  state?: MonitorState;
  /** The alert and resolve notices sent, oldest first, the last KEEP_ALERTS. */
  alerts?: AlertRecord[];
};

export type MonitorObject = GanglionObject<MonitorSpec, MonitorStatus>;

export interface MonitorRecord {
  monitor: Monitor;
  state: MonitorState;
  alerts: AlertRecord[];
  /** The object as read: what a status write replaces (its resourceVersion). */
  object: MonitorObject;
}

/** The alert history one monitor keeps; older notices drop off (the weekly report reads a week). */
export const KEEP_ALERTS = 200;

export function checkMonitorId(id: string): string {
  if (!/^[a-z0-9][-a-z0-9]{0,62}$/.test(id)) throw new GanglionError(400, 'invalid_monitor_id', `monitor id "${id}" must be lower-case letters, digits and "-"`);
  return id;
}

export function recordOf(object: MonitorObject): MonitorRecord {
  const { spec, status = {}, metadata } = object;
  const monitor: Monitor = {
    id: metadata.name, rule: spec.rule, schedule: spec.schedule, notify: spec.notify ?? [], scheduledBy: spec.scheduledBy ?? '',
    ...(spec.cluster ? { cluster: spec.cluster } : {}), ...(metadata.creationTimestamp ? { createdAt: metadata.creationTimestamp } : {}),
  };
  return { monitor, state: { ...emptyState(), ...status.state }, alerts: status.alerts ?? [], object };
}

export function specOf(m: Monitor): MonitorSpec {
  return { description: describeRule(m.rule), rule: m.rule, schedule: m.schedule, notify: m.notify, ...(m.cluster ? { cluster: m.cluster } : {}), scheduledBy: m.scheduledBy };
}

export async function readMonitor(state: StateClient, id: string, signal?: AbortSignal): Promise<MonitorRecord | undefined> {
  const found = await state.get<MonitorObject>('monitors', checkMonitorId(id), signal);
  return found ? recordOf(found) : undefined;
}

/** Every monitor, by id. */
export async function listMonitors(state: StateClient, signal?: AbortSignal): Promise<MonitorRecord[]> {
  const all = await state.listAll<MonitorObject>('monitors', {}, signal);
  return all.map(recordOf).sort((a, b) => a.monitor.id.localeCompare(b.monitor.id));
}

/** Creates the monitor, or replaces its spec keeping what the checks recorded (status). */
export async function putMonitor(state: StateClient, m: Monitor, signal?: AbortSignal): Promise<MonitorRecord> {
  const labels = { 'app.kubernetes.io/managed-by': 'ganglion' };
  for (let attempt = 0; ; attempt++) {
    const current = await state.get<MonitorObject>('monitors', checkMonitorId(m.id), signal);
    try {
      if (!current) return recordOf(await state.create<MonitorObject>('monitors', { metadata: { name: m.id, labels }, spec: specOf(m), status: {} }, signal));
      return recordOf(await state.replace<MonitorObject>('monitors', { ...current, spec: specOf(m) }, signal));
    } catch (err) {
      // a check wrote its status (or another automate created it) in between: read again and put the spec on that
      if (attempt < 4 && err instanceof GanglionError && (err.code === 'conflict' || err.code === 'already_exists')) continue;
      throw err;
    }
  }
}

/**
 * Writes a record's state and alert history as of the resourceVersion it was read at. Somebody else's write since
 * fails 409 `conflict`: the caller reads again and decides again (check-monitor does).
 */
export async function saveMonitorStatus(state: StateClient, rec: Pick<MonitorRecord, 'object' | 'state' | 'alerts'>, signal?: AbortSignal): Promise<MonitorRecord> {
  const status: MonitorStatus = {
    firing: Object.keys(rec.state.incidents).length,
    ...(rec.state.lastCheckAt ? { lastCheckAt: rec.state.lastCheckAt } : {}),
    state: rec.state,
    alerts: rec.alerts.slice(-KEEP_ALERTS),
  };
  return recordOf(await state.replace<MonitorObject>('monitors', { ...rec.object, status }, signal));
}

/** Deletes the Monitor object; false when there was none. */
export function removeMonitor(state: StateClient, id: string, signal?: AbortSignal): Promise<boolean> {
  return state.delete('monitors', checkMonitorId(id), signal);
}
