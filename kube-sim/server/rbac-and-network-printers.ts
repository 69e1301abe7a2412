/** kubectl's columns for RBAC, network policy, ingress, endpoint slice, lease and disruption budget lists (1.32). */
import { ageOf } from './human-duration.js';
import type { Column, Printer } from './printer.js';
import { obj, arr, str, type JsonMap } from '../json-fields.js';

type Json = JsonMap;
const meta = (o: Json) => obj(o.metadata);
const orNone = (s: string) => (s === '' ? '<none>' : s);
const col = (name: string, priority = 0, type = 'string'): Column => ({ name, type, ...(priority ? { priority } : {}) });
const name: Column = { name: 'Name', type: 'string', format: 'name' };
const age = col('Age');
const ageCell = (o: Json, now: number) => ageOf(meta(o).creationTimestamp, now);

function selectorText(selector: unknown): string {
  const s = obj(selector);
  const parts = Object.entries(obj(s.matchLabels)).map(([k, v]) => `${k}=${str(v)}`);
  for (const e of arr(s.matchExpressions)) parts.push(`${str(e.key)} ${str(e.operator).toLowerCase()} (${(Array.isArray(e.values) ? e.values : []).join(',')})`);
  return parts.join(',');
}

const role: Printer = { columns: [name, col('Created At', 0, 'date')], cells: (o) => [str(meta(o).name), str(meta(o).creationTimestamp)] };

const subjects = (o: Json, kind: string) => arr(o.subjects).filter((s) => s.kind === kind)
  .map((s) => (kind === 'ServiceAccount' ? `${str(s.namespace)}/${str(s.name)}` : str(s.name))).join(', ');
const binding: Printer = {
  columns: [name, col('Role'), age, col('Users', 1), col('Groups', 1), col('ServiceAccounts', 1)],
  cells: (o, now) => [str(meta(o).name), `${str(obj(o.roleRef).kind)}/${str(obj(o.roleRef).name)}`, ageCell(o, now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')],
};

export const RBAC_AND_NETWORK_PRINTERS: Record<string, Printer> = {
  roles: role,
  clusterroles: role,
  rolebindings: binding,
  clusterrolebindings: binding,
  networkpolicies: {
    columns: [name, col('Pod-Selector'), age],
    cells: (o, now) => [str(meta(o).name), orNone(selectorText(obj(o.spec).podSelector)), ageCell(o, now)],
  },
  ingresses: {
    columns: [name, col('Class'), col('Hosts'), col('Address'), col('Ports'), age],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const hosts = arr(spec.rules).map((r) => str(r.host)).filter(Boolean);
      const address = arr(obj(obj(o.status).loadBalancer).ingress).map((i) => str(i.ip) || str(i.hostname)).join(',');
      return [str(meta(o).name), orNone(str(spec.ingressClassName)), hosts.length ? hosts.join(',') : '*', address, arr(spec.tls).length ? '80, 443' : '80', ageCell(o, now)];
    },
  },
  endpointslices: {
    columns: [name, col('AddressType'), col('Ports'), col('Endpoints'), age],
    cells: (o, now) => {
      const ports = arr(o.ports).map((p) => String(p.port ?? '')).filter(Boolean);
      const addresses = arr(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : []));
      const shown = addresses.length > 3 ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...` : addresses.join(',');
      return [str(meta(o).name), str(o.addressType), ports.length ? ports.join(',') : '<unset>', orNone(shown), ageCell(o, now)];
    },
  },
  leases: { columns: [name, col('Holder'), age], cells: (o, now) => [str(meta(o).name), str(obj(o.spec).holderIdentity), ageCell(o, now)] },
  poddisruptionbudgets: {
    columns: [name, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 0, 'integer'), age],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const show = (v: unknown) => (v === undefined ? 'N/A' : String(v));
      return [str(meta(o).name), show(spec.minAvailable), show(spec.maxUnavailable), Number(obj(o.status).disruptionsAllowed ?? 0), ageCell(o, now)];
    },
  },
};
