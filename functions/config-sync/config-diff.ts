/** The pure part of config-sync: which target objects and keys differ from the source, described by key name only. */
import { createHmac } from 'node:crypto';
import { compareNames } from '../../cluster/name-order.js';
import { canonicalJson } from '../../kernel/canonical-json.js';
import type { Change } from '../../events/change.js';

export type ConfigKind = 'configmap' | 'secret';

/** One ConfigMap or Secret as the sync sees it: its data as strings (Secret values stay base64, as the API holds them). */
export interface ConfigObject { kind: ConfigKind; namespace: string; name: string; data: Record<string, string> }

/**
 * A key's change (`configmap/staging/frontend-config`, `data.THEME`): `set` → `changed`, null → `added`, `set` → null.
 * Never a value and never a hash of one: a hash of a short secret is as good as the secret to anyone who can guess.
 */
export type ConfigChange = Change & { before: 'set' | null; after: 'added' | 'changed' | null };

export interface ObjectPlan {
  kind: ConfigKind; namespace: string; name: string; create: boolean;
  /** The target's data as read for this plan (empty when created) and the data it gets. */
  before: Record<string, string>; data: Record<string, string>;
  changes: ConfigChange[];
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
    const changes = keys.filter((k) => before[k] !== src.data[k]).map((k): ConfigChange => ({
      object: id, field: `data.${k}`,
      before: k in before ? 'set' : null,
      after: !(k in src.data) ? null : k in before ? 'changed' : 'added',
    }));
    if (changes.length || !cur) plans.push({ kind: src.kind, namespace: ns, name: src.name, create: !cur, before: { ...before }, data: { ...src.data }, changes });
  }
  return plans;
}

/**
 * The pin an approval carries: an HMAC, under the approval key, over every planned object's data before and after.
 * Any change to the source or target since the dry run gives a different pin; keyed, so it tells a caller nothing about
 * the values (a plain hash of a short secret could be brute-forced).
 */
export function diffHash(plans: ObjectPlan[], key: Buffer): string {
  const h = createHmac('sha256', key).update('ganglion config-sync plan v2\n');
  for (const p of plans) h.update(canonicalJson([p.kind, p.namespace, p.name, p.create, p.before, p.data]) + '\n');
  return `plan:${h.digest('hex').slice(0, 32)}`;
}

/** "configmap/staging/frontend-config: ~API_URL ~THEME +APP_URL -OLD" lines. */
export function diffLines(plans: ObjectPlan[]): string[] {
  return plans.map((p) => {
    const keys = p.changes.map((c) => `${c.before === null ? '+' : c.after === null ? '-' : '~'}${c.field.slice(5)}`);
    return `${p.kind}/${p.namespace}/${p.name}${p.create ? ' (new)' : ''}: ${keys.join(' ') || '(empty)'}`;
  });
}
