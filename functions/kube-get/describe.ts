/**
 * What `kubectl describe` tells about an object, as plain text: identity, then per kind the replicas, containers and
 * images, node and state, conditions, and the object's recent events. Pure: the object and its events come in.
 */
import { stringify } from 'yaml';
import type { KubeEvent } from '../../cluster/kube-shapes.js';
import { timeOf } from '../../cluster/kube-shapes.js';
import { kubeAge } from '../../cluster/kube-age.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const pairs = (m: Json, sep = '='): string => Object.entries(m).map(([k, v]) => `${k}${sep}${str(v)}`).join(', ') || '<none>';

const HIDDEN_ANNOTATIONS = /^kubectl\.kubernetes\.io\/last-applied-configuration$/;

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(20)}${value}`;
}

function containerLines(spec: Json, statuses: Json[] = []): string[] {
  const out: string[] = [];
  for (const c of arr(spec.containers)) {
    const s = statuses.find((x) => x.name === c.name);
    out.push(`  ${str(c.name)}:`, `    Image:          ${str(c.image)}`);
    const ports = arr(c.ports).map((p) => `${str(p.containerPort)}/${str(p.protocol) || 'TCP'}`);
    if (ports.length) out.push(`    Ports:          ${ports.join(', ')}`);
    const res = obj(c.resources);
    if (Object.keys(obj(res.limits)).length) out.push(`    Limits:         ${pairs(obj(res.limits))}`);
    if (Object.keys(obj(res.requests)).length) out.push(`    Requests:       ${pairs(obj(res.requests))}`);
    if (s) {
      const state = obj(s.state);
      const [name, detail] = Object.entries(state)[0] ?? ['unknown', {}];
      const reason = str(obj(detail).reason);
      out.push(`    State:          ${name[0]?.toUpperCase()}${name.slice(1)}${reason ? ` (${reason})` : ''}`);
      const last = Object.entries(obj(s.lastState))[0];
      if (last) out.push(`    Last State:     ${last[0][0]?.toUpperCase()}${last[0].slice(1)} (${str(obj(last[1]).reason)}, exit code ${str(obj(last[1]).exitCode)})`);
      out.push(`    Ready:          ${s.ready ? 'True' : 'False'}`, `    Restart Count:  ${str(s.restartCount ?? 0)}`);
    }
    // names only: a value from a Secret is shown as the reference, never read
    const env = arr(c.env).map((e) => (e.valueFrom ? `${str(e.name)} (from ${Object.keys(obj(e.valueFrom))[0] ?? 'a reference'})` : `${str(e.name)}=${str(e.value)}`));
    if (env.length) out.push(`    Environment:    ${env.join(', ')}`);
  }
  return out;
}

function conditionLines(conditions: Json[]): string[] {
  if (!conditions.length) return [];
  return ['Conditions:', '  Type                  Status  Reason                        Message',
    ...conditions.map((c) => `  ${str(c.type).padEnd(22)}${str(c.status).padEnd(8)}${(str(c.reason) || '-').padEnd(30)}${str(c.message)}`.trimEnd())];
}

function kindLines(kind: string, o: Json): string[] {
  const spec = obj(o.spec);
  const status = obj(o.status);
  switch (kind) {
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': {
      const desired = Number(spec.replicas ?? 1);
      const available = Number(status.availableReplicas ?? 0);
      return [
        field('Selector', pairs(obj(obj(spec.selector).matchLabels))),
        field('Replicas', `${desired} desired | ${str(status.updatedReplicas ?? 0)} updated | ${str(status.replicas ?? 0)} total | ${available} available | ${Math.max(0, Number(status.replicas ?? 0) - available)} unavailable`),
        ...(spec.strategy ? [field('StrategyType', str(obj(spec.strategy).type))] : []),
        'Pod Template:', '  Containers:', ...containerLines(obj(obj(spec.template).spec)).map((l) => `  ${l}`),
      ];
    }
    case 'DaemonSet':
      return [field('Selector', pairs(obj(obj(spec.selector).matchLabels))), field('Pods', `${str(status.desiredNumberScheduled ?? 0)} desired | ${str(status.currentNumberScheduled ?? 0)} current | ${str(status.numberReady ?? 0)} ready`),
        'Pod Template:', '  Containers:', ...containerLines(obj(obj(spec.template).spec)).map((l) => `  ${l}`)];
    case 'Pod': {
      const owner = arr(obj(o.metadata).ownerReferences).find((r) => r.controller);
      return [
        field('Node', str(spec.nodeName) || '<none>'), field('Status', str(status.reason) || str(status.phase)), field('IP', str(status.podIP) || '<none>'),
        ...(owner ? [field('Controlled By', `${str(owner.kind)}/${str(owner.name)}`)] : []),
        'Containers:', ...containerLines(spec, arr(status.containerStatuses)),
      ];
    }
    case 'Node':
      return [
        field('Unschedulable', spec.unschedulable ? 'true' : 'false'),
        field('Taints', arr(spec.taints).map((t) => `${str(t.key)}${t.value ? `=${str(t.value)}` : ''}:${str(t.effect)}`).join(', ') || '<none>'),
        field('Addresses', arr(status.addresses).map((a) => `${str(a.type)}=${str(a.address)}`).join(', ')),
        field('Capacity', pairs(obj(status.capacity))), field('Allocatable', pairs(obj(status.allocatable))),
        field('System Info', `${str(obj(status.nodeInfo).architecture)}, kubelet ${str(obj(status.nodeInfo).kubeletVersion)}, ${str(obj(status.nodeInfo).osImage)}`),
      ];
    case 'Service':
      return [field('Type', str(spec.type) || 'ClusterIP'), field('IP', str(spec.clusterIP)), field('Selector', pairs(obj(spec.selector))),
        field('Ports', arr(spec.ports).map((p) => `${p.name ? `${str(p.name)} ` : ''}${str(p.port)}/${str(p.protocol) || 'TCP'} → ${str(p.targetPort ?? p.port)}`).join(', ') || '<none>')];
    case 'Job':
      return [field('Completions', str(spec.completions ?? 1)), field('Pods Statuses', `${str(status.active ?? 0)} Active / ${str(status.succeeded ?? 0)} Succeeded / ${str(status.failed ?? 0)} Failed`),
        'Pod Template:', '  Containers:', ...containerLines(obj(obj(spec.template).spec)).map((l) => `  ${l}`)];
    case 'ConfigMap':
      return ['Data', '====', ...Object.entries(obj(o.data)).flatMap(([k, v]) => [`${k}:`, '----', str(v).replace(/\n$/, ''), ''])];
    default: {
      const rest = { ...(Object.keys(spec).length ? { spec } : {}), ...(Object.keys(status).length ? { status: { ...status, conditions: undefined } } : {}) };
      return Object.keys(rest).length ? stringify(JSON.parse(JSON.stringify(rest)) as unknown).trimEnd().split('\n') : [];
    }
  }
}

/** Events of the object, newest last as kubectl lists them (Type, Reason, Age, From, Message). */
export function eventLines(events: KubeEvent[], now: number): string[] {
  if (!events.length) return ['Events:  <none>'];
  const when = (e: KubeEvent) => timeOf(e.lastTimestamp) || timeOf(e.eventTime) || timeOf(e.metadata?.creationTimestamp);
  const sorted = [...events].sort((a, b) => when(a) - when(b));
  return ['Events:', '  Type     Reason              Age     From                 Message',
    ...sorted.map((e) => {
      const from = (e as { source?: { component?: string } }).source?.component ?? (e as { reportingComponent?: string }).reportingComponent ?? '';
      const times = (e.count ?? 1) > 1 ? ` (x${e.count})` : '';
      return `  ${(e.type ?? '').padEnd(9)}${(e.reason ?? '').padEnd(20)}${kubeAge(now - when(e)).padEnd(8)}${from.padEnd(21)} ${(e.message ?? '').replace(/\s+/g, ' ')}${times}`.trimEnd();
    })];
}

/** The whole description of one object. */
export function describeObject(kind: string, o: Json, events: KubeEvent[], now: number): string {
  const meta = obj(o.metadata);
  const annotations = Object.fromEntries(Object.entries(obj(meta.annotations)).filter(([k]) => !HIDDEN_ANNOTATIONS.test(k)));
  return [
    field('Name', str(meta.name)), ...(meta.namespace ? [field('Namespace', str(meta.namespace))] : []), field('Kind', kind),
    field('Labels', pairs(obj(meta.labels))), field('Annotations', pairs(annotations, ': ')),
    field('Created', `${str(meta.creationTimestamp)} (${kubeAge(now - timeOf(str(meta.creationTimestamp)))} ago)`),
    ...kindLines(kind, o), ...conditionLines(arr(obj(o.status).conditions)), ...eventLines(events, now),
  ].join('\n');
}
