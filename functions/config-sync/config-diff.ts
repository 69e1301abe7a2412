/** The pure part of config-sync: which target objects and keys differ from the source, described by key and value hash only. */
import { createHash } from 'node:crypto';
import { compareNames } from '../../cluster/name-order.js';
import type { Change } from '../../events/change.js';

export type ConfigKind = 'configmap' | 'secret';

/** One ConfigMap or Secret as the sync sees it: its data as strings (Secret values stay base64, as the API holds them). */
export interface ConfigObject { kind: ConfigKind; namespace: string; name: string; data: Record<string, string> }

/** A key's change (`configmap/staging/frontend-config`, `data.THEME`), its values as sha256:… hashes, null when absent. */
export type ConfigChange = Change & { before: string | null; after: string | null };

export interface ObjectPlan { kind: ConfigKind; namespace: string; name: string; create: boolean; data: Record<string, string>; changes: ConfigChange[] }

/** A value's fingerprint: enough to tell values apart, never the value. */
export function valueHash(value: string | undefined): string | null {
  return value === undefined ? null : `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

/**
 * For each source object, the target object (same name, in the namespace `targetNamespace` maps to) and the
 * keys that differ: added, changed and removed, so the target ends equal to the source.
 */
export function planSync(source: ConfigObject[], target: ConfigObject[], targetNamespace: (sourceNs: string) => string | undefined): ObjectPlan[] {
  const existing = new Map(target.map((o) => [`${o.kind}/${o.namespace}/${o.name}`, o]));
  const plans: ObjectPlan[] = [];
  for (const src of [...source].sort((a, b) => compareNames(`${a.kind}/${a.namespace}/${a.name}`, `${b.kind}/${b.namespace}/${b.name}`))) {
    const ns = targetNamespace(src.namespace);
    if (!ns) continue;
    const id = `${src.kind}/${ns}/${src.name}`;
    const cur = existing.get(id);
    const before = cur?.data ?? {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(src.data)])].sort();
    const changes = keys.filter((k) => before[k] !== src.data[k]).map((k) => ({ object: id, field: `data.${k}`, before: valueHash(before[k]), after: valueHash(src.data[k]) }));
    if (changes.length || !cur) plans.push({ kind: src.kind, namespace: ns, name: src.name, create: !cur, data: { ...src.data }, changes });
  }
  return plans;
}

/** One hash over every change, so an apply can insist on the diff its approver saw. */
export function diffHash(plans: ObjectPlan[]): string {
  const h = createHash('sha256');
  for (const p of plans) for (const c of p.changes) h.update(`${c.object}\0${c.field}\0${c.before}\0${c.after}\n`);
  return `sha256:${h.digest('hex').slice(0, 16)}`;
}

/** "configmap/staging/frontend-config: ~API_URL ~THEME +APP_URL -OLD" lines. */
export function diffLines(plans: ObjectPlan[]): string[] {
  return plans.map((p) => {
    const keys = p.changes.map((c) => `${c.before === null ? '+' : c.after === null ? '-' : '~'}${c.field.slice(5)}`);
    return `${p.kind}/${p.namespace}/${p.name}${p.create ? ' (new)' : ''}: ${keys.join(' ') || '(empty)'}`;
  });
}
