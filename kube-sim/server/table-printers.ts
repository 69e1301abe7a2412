/** The columns `kubectl get` prints per resource, as the API server's table convertors define them (1.32). */
import { ageOf, humanDuration } from './human-duration.js';
import { summarisePod } from './pod-printer.js';
import { RBAC_AND_NETWORK_PRINTERS } from './rbac-and-network-printers.js';
import { obj, arr, str, num, at, type JsonMap } from '../json-fields.js';
import type { Cell, Column, Printer } from './printer.js';

type Json = JsonMap;
export type { Column, Printer };

const orNone = (s: string) => (s === '' ? '<none>' : s);

const name: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.' };
const age: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' };
const col = (n: string, type = 'string', priority = 0): Column => ({ name: n, type, ...(priority ? { priority } : {}) });
const nameOf = (o: Json) => str(at(o, 'metadata.name'));
const ageCell = (o: Json, now: number) => ageOf(at(o, 'metadata.creationTimestamp'), now);

function selectorText(selector: unknown): string {
  const s = obj(selector);
  const parts = Object.entries(obj(s.matchLabels)).map(([k, v]) => `${k}=${str(v)}`);
  for (const e of arr(s.matchExpressions)) {
    const values = (Array.isArray(e.values) ? e.values : []).join(',');
    const op = str(e.operator);
    parts.push(op === 'Exists' ? str(e.key) : op === 'DoesNotExist' ? `!${str(e.key)}` : `${str(e.key)} ${op.toLowerCase()} (${values})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}
const containersOf = (o: Json) => arr(at(o, 'spec.template.spec.containers'));
const wideWorkload = (o: Json): Cell[] => [
  containersOf(o).map((c) => str(c.name)).join(','), containersOf(o).map((c) => str(c.image)).join(','), selectorText(at(o, 'spec.selector')),
];
const wideWorkloadColumns = [col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)];

function nodeStatus(o: Json): string {
  const ready = arr(at(o, 'status.conditions')).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (at(o, 'spec.unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}
function nodeRoles(o: Json): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj(at(o, 'metadata.labels')))) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && str(v)) roles.add(str(v));
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}
const nodeAddress = (o: Json, type: string) => orNone(str(arr(at(o, 'status.addresses')).find((a) => a.type === type)?.address));

function servicePorts(o: Json): string {
  const ports = arr(at(o, 'spec.ports')).map((p) => `${num(p.port)}${p.nodePort ? `:${num(p.nodePort)}` : ''}/${str(p.protocol) || 'TCP'}`);
  return ports.length ? ports.join(',') : '<none>';
}
function serviceExternal(o: Json): string {
  const type = str(at(o, 'spec.type')) || 'ClusterIP';
  const external = (Array.isArray(at(o, 'spec.externalIPs')) ? (at(o, 'spec.externalIPs') as string[]) : []);
  const ingress = arr(at(o, 'status.loadBalancer.ingress')).map((i) => str(i.ip) || str(i.hostname));
  if (type === 'LoadBalancer') return [...ingress, ...external].join(',') || '<pending>';
  if (type === 'ExternalName') return str(at(o, 'spec.externalName'));
  return external.length ? external.join(',') : '<none>';
}

function jobStatus(o: Json): string {
  const has = (type: string) => arr(at(o, 'status.conditions')).some((c) => c.type === type && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (at(o, 'metadata.deletionTimestamp')) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}
function jobCompletions(o: Json): string {
  const succeeded = num(at(o, 'status.succeeded'));
  const completions = at(o, 'spec.completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = num(at(o, 'spec.parallelism'));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}
function jobDuration(o: Json, now: number): string {
  const start = str(at(o, 'status.startTime'));
  if (!start) return '';
  const end = str(at(o, 'status.completionTime'));
  return humanDuration((end ? Date.parse(end) : now) - Date.parse(start));
}

function eventLastSeen(o: Json, now: number): string {
  const last = str(o.lastTimestamp) || str(o.eventTime) || str(at(o, 'series.lastObservedTime')) || str(at(o, 'metadata.creationTimestamp'));
  const first = str(o.firstTimestamp) || str(o.eventTime) || last;
  const count = num(o.count) || num(at(o, 'series.count'));
  return count > 1 ? `${ageOf(last, now)} (x${count} over ${ageOf(first, now)})` : ageOf(last, now);
}

const endpointsText = (o: Json): string => {
  const list: string[] = [];
  for (const subset of arr(o.subsets)) {
    const ports = arr(subset.ports).map((p) => num(p.port));
    for (const a of arr(subset.addresses)) for (const p of ports.length ? ports : [0]) list.push(p ? `${str(a.ip)}:${p}` : str(a.ip));
  }
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
};

export const PRINTERS: Record<string, Printer> = {
  ...RBAC_AND_NETWORK_PRINTERS,
  // a CRD shows when it was created, not its age
  customresourcedefinitions: {
    columns: [name, { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' }],
    cells: (o) => [nameOf(o), str(at(o, 'metadata.creationTimestamp'))],
  },
  pods: {
    columns: [name, col('Ready'), col('Status'), col('Restarts'), age, col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    cells(o, now) {
      const s = summarisePod(o, now);
      const ips = arr(at(o, 'status.podIPs'));
      const gates = arr(at(o, 'spec.readinessGates'));
      const gateText = gates.length ? `${gates.filter((g) => arr(at(o, 'status.conditions')).some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}` : '<none>';
      return [nameOf(o), s.ready, s.status, s.restarts, ageCell(o, now), orNone(str(ips[0]?.ip) || str(at(o, 'status.podIP'))), orNone(str(at(o, 'spec.nodeName'))), orNone(str(at(o, 'status.nominatedNodeName'))), gateText];
    },
  },
  nodes: {
    columns: [name, col('Status'), col('Roles'), age, col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
    cells: (o, now) => [nameOf(o), nodeStatus(o), nodeRoles(o), ageCell(o, now), str(at(o, 'status.nodeInfo.kubeletVersion')),
      nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'), orNone(str(at(o, 'status.nodeInfo.osImage'))), orNone(str(at(o, 'status.nodeInfo.kernelVersion'))), orNone(str(at(o, 'status.nodeInfo.containerRuntimeVersion')))],
  },
  namespaces: { columns: [name, col('Status'), age], cells: (o, now) => [nameOf(o), str(at(o, 'status.phase')) || 'Active', ageCell(o, now)] },
  deployments: {
    columns: [name, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), age, ...wideWorkloadColumns],
    cells: (o, now) => [nameOf(o), `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas'))}`, num(at(o, 'status.updatedReplicas')), num(at(o, 'status.availableReplicas')), ageCell(o, now), ...wideWorkload(o)],
  },
  replicasets: {
    columns: [name, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), age, ...wideWorkloadColumns],
    cells: (o, now) => [nameOf(o), num(at(o, 'spec.replicas')), num(at(o, 'status.replicas')), num(at(o, 'status.readyReplicas')), ageCell(o, now), ...wideWorkload(o)],
  },
  statefulsets: {
    columns: [name, col('Ready'), age, col('Containers', 'string', 1), col('Images', 'string', 1)],
    cells: (o, now) => [nameOf(o), `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas'))}`, ageCell(o, now), ...wideWorkload(o).slice(0, 2)],
  },
  daemonsets: {
    columns: [name, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), age, ...wideWorkloadColumns],
    cells: (o, now) => [nameOf(o), num(at(o, 'status.desiredNumberScheduled')), num(at(o, 'status.currentNumberScheduled')), num(at(o, 'status.numberReady')), num(at(o, 'status.updatedNumberScheduled')), num(at(o, 'status.numberAvailable')),
      orNone(Object.entries(obj(at(o, 'spec.template.spec.nodeSelector'))).map(([k, v]) => `${k}=${str(v)}`).join(',')), ageCell(o, now), ...wideWorkload(o)],
  },
  jobs: {
    columns: [name, col('Status'), col('Completions'), col('Duration'), age, ...wideWorkloadColumns],
    cells: (o, now) => [nameOf(o), jobStatus(o), jobCompletions(o), jobDuration(o, now), ageCell(o, now), ...wideWorkload(o)],
  },
  cronjobs: {
    columns: [name, col('Schedule'), col('Timezone'), col('Suspend', 'boolean'), col('Active', 'integer'), col('Last Schedule'), age],
    cells: (o, now) => [nameOf(o), str(at(o, 'spec.schedule')), orNone(str(at(o, 'spec.timeZone'))), at(o, 'spec.suspend') === true ? 'True' : 'False', arr(at(o, 'status.active')).length,
      at(o, 'status.lastScheduleTime') ? ageOf(at(o, 'status.lastScheduleTime'), now) : '<none>', ageCell(o, now)],
  },
  services: {
    columns: [name, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), age, col('Selector', 'string', 1)],
    cells: (o, now) => [nameOf(o), str(at(o, 'spec.type')) || 'ClusterIP', orNone(str(at(o, 'spec.clusterIP'))), serviceExternal(o), servicePorts(o), ageCell(o, now),
      orNone(Object.entries(obj(at(o, 'spec.selector'))).map(([k, v]) => `${k}=${str(v)}`).join(','))],
  },
  endpoints: { columns: [name, col('Endpoints'), age], cells: (o, now) => [nameOf(o), endpointsText(o), ageCell(o, now)] },
  configmaps: { columns: [name, col('Data', 'integer'), age], cells: (o, now) => [nameOf(o), Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, ageCell(o, now)] },
  secrets: { columns: [name, col('Type'), col('Data', 'integer'), age], cells: (o, now) => [nameOf(o), str(o.type) || 'Opaque', Object.keys(obj(o.data)).length, ageCell(o, now)] },
  serviceaccounts: { columns: [name, col('Secrets', 'integer'), age], cells: (o, now) => [nameOf(o), arr(o.secrets).length, ageCell(o, now)] },
  events: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message'), col('First Seen', 'string', 1), col('Count', 'integer', 1), { ...name, priority: 1 }],
    cells: (o, now) => {
      const involved = obj(o.involvedObject);
      const source = obj(o.source);
      const sourceText = str(source.component) ? (str(source.host) ? `${str(source.component)}, ${str(source.host)}` : str(source.component)) : str(o.reportingComponent);
      return [eventLastSeen(o, now), str(o.type), str(o.reason), `${str(involved.kind).toLowerCase()}/${str(involved.name)}`, str(involved.fieldPath), sourceText, str(o.message).trim(),
        ageOf(str(o.firstTimestamp) || str(o.eventTime), now), num(o.count) || 1, nameOf(o)];
    },
  },
};

/** Printers for resources without specific columns: NAME and AGE. */
export const DEFAULT_PRINTER: Printer = { columns: [name, { ...age, name: 'Age' }], cells: (o, now) => [nameOf(o), ageCell(o, now)] };
