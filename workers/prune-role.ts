/**
 * The prune worker (the ganglion-retention CronJob, k8s/60-retention.yaml): keeps the state namespace from growing
 * without end. Functions may not delete audit records (append-only RBAC), so retention runs as its own Job with its
 * own ServiceAccount, allowed list and delete on exactly these kinds:
 * - finished Runs and WebhookDeliveries beyond GANGLION_RETAIN_RUNS (oldest first) or older than GANGLION_RETAIN_DAYS;
 * - spent or expired Approvals older than a day;
 * - AuditRecords beyond GANGLION_RETAIN_AUDIT (oldest first) or older than GANGLION_RETAIN_DAYS.
 */
import { createKubeAccess } from '../cluster/kube-access.js';
import { stateClient, type GanglionObject, type Plural, type StateClient } from '../cluster-state/ganglion-objects.js';
import type { StateConfig } from '../kernel/config.js';
import type { Role } from './worker-io.js';

const DAY_MS = 86_400_000;
/** Objects read per page: only their names and times are kept, so memory stays small however many there are. */
const PAGE = 500;
/** Runs and deliveries still in these phases are never pruned, however old. */
const ACTIVE = new Set(['running', 'awaiting-approval']);

/** What pruning needs of one object. */
interface Entry { name: string; created: number; active: boolean; spentOrExpired: boolean }

type Obj = GanglionObject<Record<string, unknown>, Record<string, unknown>>;

function entryOf(o: Obj, now: number): Entry {
  const created = Date.parse(o.metadata.creationTimestamp ?? '') || now;
  const phase = typeof o.status?.phase === 'string' ? o.status.phase : '';
  const expires = typeof o.spec?.expiresAt === 'string' ? Date.parse(o.spec.expiresAt) : Number.NaN;
  return { name: o.metadata.name, created, active: ACTIVE.has(phase), spentOrExpired: typeof o.status?.spentAt === 'string' || expires <= now };
}

/** Every object of the kind as an entry, in the API server's (name) order, read page by page. */
async function entries(state: StateClient, plural: Plural, now: number): Promise<Entry[]> {
  const out: Entry[] = [];
  let token: string | undefined;
  do {
    const page = await listPage(state, plural, token);
    for (const o of page.items) out.push(entryOf(o, now));
    token = page.continue;
  } while (token);
  return out;
}

/** One literal call per kind, so the RBAC check reads the grants the retention Role needs off this source. */
function listPage(state: StateClient, plural: Plural, token: string | undefined) {
  const opts = { limit: PAGE, ...(token ? { continue: token } : {}) };
  switch (plural) {
    case 'runs': return state.list<Obj>('runs', opts);
    case 'webhookdeliveries': return state.list<Obj>('webhookdeliveries', opts);
    case 'approvals': return state.list<Obj>('approvals', opts);
    case 'auditrecords': return state.list<Obj>('auditrecords', opts);
    default: throw new Error(`the prune worker does not prune ${plural}`);
  }
}

function remove(state: StateClient, plural: Plural, name: string): Promise<boolean> {
  switch (plural) {
    case 'runs': return state.delete('runs', name);
    case 'webhookdeliveries': return state.delete('webhookdeliveries', name);
    case 'approvals': return state.delete('approvals', name);
    case 'auditrecords': return state.delete('auditrecords', name);
    default: throw new Error(`the prune worker does not prune ${plural}`);
  }
}

/**
 * Which entries go: the oldest beyond `keep` (among those that may go at all) and any older than `cutoff`.
 * `byName` keeps the API server's order (audit record names sort by time); otherwise the creation time orders.
 */
export function chooseVictims(list: Entry[], { keep, cutoff, eligible, byName = false }: { keep: number; cutoff: number; eligible: (e: Entry) => boolean; byName?: boolean }): string[] {
  const candidates = list.filter(eligible);
  if (!byName) candidates.sort((a, b) => a.created - b.created || a.name.localeCompare(b.name));
  // a count limit over all objects of the kind: the newest `keep` stay, active ones included in the count
  const excess = Math.max(0, list.length - keep);
  return candidates.filter((e, i) => i < excess || e.created < cutoff).map((e) => e.name);
}

export interface PruneCounts { runs: number; webhookdeliveries: number; approvals: number; auditrecords: number }

/** Prunes the state namespace as `retain` says; returns how many objects of each kind went. */
export async function pruneState(state: StateClient, retain: Pick<StateConfig, 'keepRuns' | 'keepAudit' | 'keepDays'>, now = Date.now(), progress: (line: string) => void = () => {}): Promise<PruneCounts> {
  const cutoff = now - retain.keepDays * DAY_MS;
  const plans: Array<[Plural, string[]]> = [
    ['runs', chooseVictims(await entries(state, 'runs', now), { keep: retain.keepRuns, cutoff, eligible: (e) => !e.active })],
    ['webhookdeliveries', chooseVictims(await entries(state, 'webhookdeliveries', now), { keep: retain.keepRuns, cutoff, eligible: (e) => !e.active })],
    ['approvals', (await entries(state, 'approvals', now)).filter((e) => e.spentOrExpired && e.created < now - DAY_MS).map((e) => e.name)],
    ['auditrecords', chooseVictims(await entries(state, 'auditrecords', now), { keep: retain.keepAudit, cutoff, eligible: () => true, byName: true })],
  ];
  const counts: PruneCounts = { runs: 0, webhookdeliveries: 0, approvals: 0, auditrecords: 0 };
  for (const [plural, names] of plans) {
    for (const name of names) if (await remove(state, plural, name)) counts[plural as keyof PruneCounts] += 1;
    progress(`${plural}: deleted ${counts[plural as keyof PruneCounts]}`);
  }
  return counts;
}

export const pruneRole: Role = async (_args, io) => {
  // In a pod there is no KUBECONFIG: the client loads the pod's ServiceAccount (ganglion-retention).
  const kube = createKubeAccess({ kubeconfig: io.config.kubeconfig, context: io.config.kubeContext });
  const state = stateClient(kube, io.config);
  await state.check();
  const { keepRuns, keepAudit, keepDays } = io.config.state;
  const counts = await pruneState(state, { keepRuns, keepAudit, keepDays }, Date.now(), io.progress);
  const total = counts.runs + counts.webhookdeliveries + counts.approvals + counts.auditrecords;
  return {
    summary: `pruned ${total} objects in ${state.namespace}: ${counts.runs} runs, ${counts.webhookdeliveries} webhook deliveries, ${counts.approvals} approvals, ${counts.auditrecords} audit records (keeping ${keepRuns} runs, ${keepAudit} audit records, ${keepDays} days)`,
    data: { namespace: state.namespace, deleted: counts, retain: { keepRuns, keepAudit, keepDays } },
  };
};
