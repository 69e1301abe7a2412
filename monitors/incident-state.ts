/**
 * Incident state of one monitor, pure: a finding opens an incident and asks for one alert; it stays quiet while the
 * finding persists; when the finding goes away a resolve notice follows. Notices that could not be delivered are
 * asked for again on the next check, so an alert is sent once per incident, not once per check.
 */
import type { Finding } from './evaluate-rule.js';

export interface Incident {
  key: string;
  subject: string;
  namespace?: string;
  detail: string;
  openedAt: string;
  lastSeenAt: string;
  /** The alert reached every channel. */
  alerted: boolean;
  /** Channels the alert reached so far (a retry goes only to the others). */
  alertedVia?: string[];
  resolvedAt?: string;
  /** Channels the resolve notice reached so far. */
  resolvedVia?: string[];
}

export interface MonitorState {
  incidents: Record<string, Incident>;
  /** Resolved incidents whose resolve notice is still to be delivered. */
  pendingResolves: Incident[];
  lastCheckAt?: string;
  checks: number;
}

export interface Notice {
  kind: 'alert' | 'resolve';
  incident: Incident;
}

export const emptyState = (): MonitorState => ({ incidents: {}, pendingResolves: [], checks: 0 });

/** Folds one check's findings into the state; returns the new state and the notices to deliver now. */
export function advance(state: MonitorState, findings: Finding[], now: string): { state: MonitorState; notices: Notice[] } {
  const incidents: Record<string, Incident> = {};
  const pendingResolves = [...state.pendingResolves];
  for (const f of findings) {
    const open = state.incidents[f.key];
    incidents[f.key] = open
      ? { ...open, detail: f.detail, lastSeenAt: now }
      : { key: f.key, subject: f.subject, ...(f.namespace ? { namespace: f.namespace } : {}), detail: f.detail, openedAt: now, lastSeenAt: now, alerted: false };
  }
  for (const [key, open] of Object.entries(state.incidents)) {
    if (incidents[key]) continue;
    // An incident nobody was told about ends quietly; one that was alerted gets its resolve notice.
    if (open.alerted) pendingResolves.push({ ...open, resolvedAt: now });
  }
  const next: MonitorState = { incidents, pendingResolves, lastCheckAt: now, checks: state.checks + 1 };
  return { state: next, notices: pendingNotices(next) };
}

export function pendingNotices(state: MonitorState): Notice[] {
  return [
    ...Object.values(state.incidents).filter((i) => !i.alerted).map((incident) => ({ kind: 'alert' as const, incident })),
    ...state.pendingResolves.map((incident) => ({ kind: 'resolve' as const, incident })),
  ];
}

/** Channels of `all` that still need this notice. */
export function channelsLeft<C extends string>(n: Notice, all: C[]): C[] {
  const done = (n.kind === 'alert' ? n.incident.alertedVia : n.incident.resolvedVia) ?? [];
  return all.filter((c) => !done.includes(c));
}

/**
 * Records that a notice reached `via`: an alert every channel took becomes quiet; a resolve every channel took is
 * dropped. A notice only some channels took stays pending for the others.
 */
export function recordDelivery(state: MonitorState, n: Notice, via: string[], all: string[]): MonitorState {
  const union = (a: string[] | undefined) => [...new Set([...(a ?? []), ...via])];
  const complete = (got: string[]) => all.every((c) => got.includes(c));
  if (n.kind === 'alert') {
    const open = state.incidents[n.incident.key];
    if (!open) return state;
    const alertedVia = union(open.alertedVia);
    return { ...state, incidents: { ...state.incidents, [open.key]: { ...open, alertedVia, alerted: complete(alertedVia) } } };
  }
  const same = (i: Incident) => i.key === n.incident.key && i.resolvedAt === n.incident.resolvedAt;
  const pendingResolves = state.pendingResolves.flatMap((i) => {
    if (!same(i)) return [i];
    const resolvedVia = union(i.resolvedVia);
    return complete(resolvedVia) ? [] : [{ ...i, resolvedVia }];
  });
  return { ...state, pendingResolves };
}

/** Marks notices as delivered to every channel (a monitor with no channels, or tests). */
export function markDelivered(state: MonitorState, delivered: Notice[]): MonitorState {
  return delivered.reduce((s, n) => recordDelivery(s, n, [], []), state);
}

/**
 * Undoes recordDelivery for the channels that did not take a notice after all: a check records a notice as sent
 * before it sends it (so a concurrent check cannot send it too), and gives back the channels that failed, so the next
 * check tries them again.
 */
export function releaseDelivery(state: MonitorState, n: Notice, failed: string[], all: string[]): MonitorState {
  if (!failed.length) return state;
  const without = (a: string[] | undefined) => (a ?? []).filter((c) => !failed.includes(c));
  const complete = (got: string[]) => all.every((c) => got.includes(c));
  if (n.kind === 'alert') {
    const open = state.incidents[n.incident.key];
    if (!open) return state;
    const alertedVia = without(open.alertedVia);
    return { ...state, incidents: { ...state.incidents, [open.key]: { ...open, alertedVia, alerted: complete(alertedVia) } } };
  }
  const same = (i: Incident) => i.key === n.incident.key && i.resolvedAt === n.incident.resolvedAt;
  const pending = state.pendingResolves.find(same);
  // recorded as sent to every channel, the resolve notice was dropped: it comes back with the channels that took it
  const resolvedVia = without(pending ? pending.resolvedVia : [...new Set([...(n.incident.resolvedVia ?? []), ...all])]);
  const rest = state.pendingResolves.filter((i) => !same(i));
  return { ...state, pendingResolves: [...rest, { ...n.incident, resolvedVia }] };
}
