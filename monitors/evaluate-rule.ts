/** Pure evaluation of a monitor rule against one snapshot of the cluster: what is firing right now, one finding per incident key. */
import { findFailingPods } from '../cluster/pod-health.js';
import { podOwner, podRestarts } from '../cluster/pod-status-text.js';
import { timeOf, type Condition, type Deployment, type KubeEvent, type Node, type Pod } from '../cluster/kube-shapes.js';
import { DEFAULTS, type MonitorRule } from './monitor-rule.js';
import { compareNames } from '../cluster/name-order.js';

/** A Deployment with the status conditions the availability rule reads. */
export type WatchedDeployment = Deployment & { status?: Deployment['status'] & { conditions?: Condition[] } };

export interface ClusterSnapshot {
  pods: Pod[];
  nodes: Node[];
  deployments: WatchedDeployment[];
  events: KubeEvent[];
  /** Milliseconds since the epoch. */
  now: number;
}

export interface Finding {
  /** What an incident is about, stable across checks: `apps/deployment/api-server`, `node/pi-2`. */
  key: string;
  /** The object a person looks at: `deployment/api-server`, `pod/x`, `node/pi-2`. */
  subject: string;
  namespace?: string;
  /** One line: what is wrong, with the numbers. */
  detail: string;
}

const inScope = (rule: MonitorRule, ns: string | undefined) => !rule.namespace || rule.namespace === ns;
const minutesMs = (m: number) => m * 60_000;
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** Pods of one workload are one incident: a crash-looping Deployment is one alert, not one per replacement pod. */
function podKey(pod: Pod): { key: string; subject: string; namespace: string } {
  const ns = pod.metadata?.namespace ?? '';
  const subject = podOwner(pod) ?? `pod/${pod.metadata?.name ?? ''}`;
  return { key: `${ns}/${subject}`, subject, namespace: ns };
}

function lastRestartAt(pod: Pod): number {
  let latest = 0;
  for (const c of pod.status?.containerStatuses ?? []) latest = Math.max(latest, timeOf(c.lastState?.terminated?.finishedAt), timeOf(c.state?.terminated?.finishedAt));
  return latest;
}

const condition = (conds: Condition[] | undefined, type: string) => (conds ?? []).find((c) => c.type === type);

/** Keeps the worst finding per key (the most restarts, or the first seen). */
function merge(out: Map<string, Finding & { weight: number }>, f: Finding, weight: number): void {
  const seen = out.get(f.key);
  if (!seen || weight > seen.weight) out.set(f.key, { ...f, weight });
}

function restarts(rule: MonitorRule, s: ClusterSnapshot): Finding[] {
  const threshold = rule.threshold ?? DEFAULTS.threshold;
  const window = minutesMs(rule.windowMinutes ?? DEFAULTS.windowMinutes);
  const out = new Map<string, Finding & { weight: number }>();
  for (const pod of s.pods) {
    if (!inScope(rule, pod.metadata?.namespace) || pod.metadata?.deletionTimestamp) continue;
    const n = podRestarts(pod);
    if (n <= threshold) continue;
    const ready = condition(pod.status?.conditions, 'Ready')?.status === 'True';
    const last = lastRestartAt(pod);
    // Old restarts of a pod that has been fine for a while are history, not an incident.
    if (ready && last && s.now - last > window) continue;
    const k = podKey(pod);
    merge(out, { ...k, detail: `pod ${pod.metadata?.name ?? ''} restarted ${plural(n, 'time')} (more than ${threshold})${ready ? '' : ', not Ready'}` }, n);
  }
  return [...out.values()].map(({ weight: _w, ...f }) => f);
}

function notReady(rule: MonitorRule, s: ClusterSnapshot): Finding[] {
  const minutes = rule.minutes ?? DEFAULTS.notReadyMinutes;
  const out = new Map<string, Finding & { weight: number }>();
  for (const pod of s.pods) {
    if (!inScope(rule, pod.metadata?.namespace) || pod.metadata?.deletionTimestamp) continue;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ready = condition(pod.status?.conditions, 'Ready');
    if (ready?.status === 'True') continue;
    const since = timeOf(ready?.lastTransitionTime) || timeOf(pod.status?.startTime) || timeOf(pod.metadata?.creationTimestamp);
    const forMs = since ? s.now - since : 0;
    if (forMs < minutesMs(minutes)) continue;
    const k = podKey(pod);
    merge(out, { ...k, detail: `pod ${pod.metadata?.name ?? ''} not Ready for ${Math.floor(forMs / 60_000)} minutes (${phase ?? 'Unknown'})` }, forMs);
  }
  return [...out.values()].map(({ weight: _w, ...f }) => f);
}

function nodeNotReady(rule: MonitorRule, s: ClusterSnapshot): Finding[] {
  const minutes = rule.minutes ?? DEFAULTS.nodeMinutes;
  const out: Finding[] = [];
  for (const node of s.nodes) {
    const ready = condition(node.status?.conditions, 'Ready');
    if (ready?.status === 'True') continue;
    const since = timeOf(ready?.lastTransitionTime);
    if (since && s.now - since < minutesMs(minutes)) continue;
    const name = node.metadata?.name ?? '';
    out.push({ key: `node/${name}`, subject: `node/${name}`, detail: `node ${name} is ${ready?.status === 'Unknown' ? 'not reporting (Unknown)' : 'NotReady'}${ready?.message ? `: ${ready.message}` : ''}` });
  }
  return out;
}

function deploymentUnavailable(rule: MonitorRule, s: ClusterSnapshot): Finding[] {
  const minutes = rule.minutes ?? DEFAULTS.deploymentMinutes;
  const out: Finding[] = [];
  for (const d of s.deployments) {
    const ns = d.metadata?.namespace ?? '';
    if (!inScope(rule, ns)) continue;
    const desired = d.spec?.replicas ?? 1;
    const available = d.status?.availableReplicas ?? 0;
    const cond = condition(d.status?.conditions, 'Available');
    if (desired === 0 || (available >= desired && cond?.status !== 'False')) continue;
    if (cond?.status === 'True' && available > 0) continue;
    const since = timeOf(cond?.lastTransitionTime) || timeOf(d.metadata?.creationTimestamp);
    if (since && s.now - since < minutesMs(minutes)) continue;
    const name = d.metadata?.name ?? '';
    out.push({ key: `${ns}/deployment/${name}`, subject: `deployment/${name}`, namespace: ns, detail: `deployment ${name} has ${available} of ${desired} replicas available${cond?.message ? `: ${cond.message}` : ''}` });
  }
  return out;
}

function podHealth(rule: MonitorRule, s: ClusterSnapshot): Finding[] {
  const out = new Map<string, Finding & { weight: number }>();
  for (const f of findFailingPods(s.pods.filter((p) => inScope(rule, p.metadata?.namespace)), s.events, s.now)) {
    const subject = f.owner ?? `pod/${f.pod}`;
    merge(out, { key: `${f.namespace}/${subject}`, subject, namespace: f.namespace, detail: `${f.reason}: pod ${f.pod} — ${f.detail}` }, f.restarts);
  }
  return [...out.values()].map(({ weight: _w, ...f }) => f);
}

export function evaluateRule(rule: MonitorRule, snapshot: ClusterSnapshot): Finding[] {
  const found = {
    restarts, 'not-ready': notReady, 'node-not-ready': nodeNotReady, 'deployment-unavailable': deploymentUnavailable, 'pod-health': podHealth,
  }[rule.kind](rule, snapshot);
  return found.sort((a, b) => compareNames(a.key, b.key));
}

/** Which lists a rule needs, so a check reads no more of the cluster than it must. */
export function neededLists(rule: MonitorRule): { pods: boolean; nodes: boolean; deployments: boolean; events: boolean } {
  return {
    pods: rule.kind === 'restarts' || rule.kind === 'not-ready' || rule.kind === 'pod-health',
    nodes: rule.kind === 'node-not-ready',
    deployments: rule.kind === 'deployment-unavailable',
    events: rule.kind === 'pod-health',
  };
}
