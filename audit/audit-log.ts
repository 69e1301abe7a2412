/**
 * The audit log: one AuditRecord object (ganglion.dev, in the state namespace) per mutation attempt and per result,
 * created and never updated or deleted here (only the retention CronJob prunes). Who (client), which run and step,
 * what verb on which object in which cluster, before/after, and who approved it.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { GanglionObject, StateClient } from '../cluster-state/ganglion-objects.js';
import { GanglionError } from '../kernel/errors.js';
import { formatIssues } from '../kernel/zod-issues.js';

export interface AuditRecord {
  /** ISO time of the record. */
  time: string;
  /** Who asked: the client name from the command's context (ganglion-cli, faas-cli, http, policy…). */
  client: string;
  runId: string;
  stepId: string;
  /** The function that changes things: deploy, scale, rollback, restart… */
  verb: string;
  /** e.g. deployment/placemyparents */
  object: string;
  namespace?: string;
  /** kubeconfig context. */
  cluster: string;
  before: unknown;
  after: unknown;
  /** 'attempt' before the call; 'applied' or 'failed: <reason>' after it. */
  result: string;
  /** How it was approved: person, policy, yes. */
  approvedBy?: string;
}

export type AuditObject = GanglionObject<Record<string, unknown>>;

/** A record left out of a listing because its object does not read as one (edited by hand), and why. */
export interface SkippedRecord { name: string; reason: string }

export interface AuditPage {
  /** Oldest first. */
  records: AuditRecord[];
  /** Pass back as `continue` for the next page; absent on the last. */
  continue?: string;
  skipped: SkippedRecord[];
}

export interface AuditQuery {
  /** Keep records at or after this time. */
  since?: Date | string;
  /** Objects read per page (the API server's limit); default 500. */
  limit?: number;
  continue?: string;
}

export const AUDIT_PAGE = 500;

const recordSchema = z.object({
  time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not a time'),
  client: z.string(), runId: z.string(), stepId: z.string(), verb: z.string(), object: z.string(),
  namespace: z.string().optional(), cluster: z.string(), result: z.string(), approvedBy: z.string().optional(),
  before: z.unknown().optional(), after: z.unknown().optional(),
});

/**
 * `a-20261125100000123-1f3a`: the record's UTC time to the millisecond, then random hex so two records in one
 * millisecond never collide. The API server lists by name, so its pages come in time order.
 */
export function auditName(time: string): string {
  const iso = new Date(time).toISOString();
  return `a-${iso.replace(/\D/g, '').slice(0, 17)}-${randomBytes(2).toString('hex')}`;
}

/** Creates one record; time defaults to now. Nothing ever replaces it. */
export async function appendAudit(state: StateClient, record: Omit<AuditRecord, 'time'> & { time?: string }, signal?: AbortSignal): Promise<AuditRecord> {
  const full: AuditRecord = { ...record, time: record.time ?? new Date().toISOString() };
  const { time, client, runId, stepId, verb, object, namespace, cluster, before, after, result, approvedBy } = full;
  const spec = { time, client, runId, stepId, verb, object, ...(namespace ? { namespace } : {}), cluster, before: before ?? null, after: after ?? null, result, ...(approvedBy ? { approvedBy } : {}) };
  const labels = { 'ganglion.dev/run': labelValue(runId), 'ganglion.dev/verb': labelValue(verb) };
  await state.create<AuditObject>('auditrecords', { metadata: { name: auditName(time), labels }, spec }, signal);
  return full;
}

/** A label value: at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric. */
function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

function sinceTime(since: Date | string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const from = new Date(since).getTime();
  if (Number.isNaN(from)) throw new GanglionError(400, 'bad_since', `since "${String(since)}" is not a time; use an ISO time such as 2026-11-25T12:00:00Z`);
  return from;
}

/** One object as a record, or why it is not one. */
export function recordOf(obj: AuditObject): { ok: true; value: AuditRecord } | { ok: false; error: string } {
  const parsed = recordSchema.safeParse(obj.spec ?? {});
  if (!parsed.success) return { ok: false, error: `its spec is not an audit record (${formatIssues(parsed.error)}); it was edited by hand` };
  const { before, after, ...rest } = parsed.data;
  return { ok: true, value: { ...rest, before: before ?? null, after: after ?? null } };
}

/** One page of the log, oldest first; `since` filters the page (an early page may come back empty with a continue). */
export async function readAudit(state: StateClient, query: AuditQuery = {}, signal?: AbortSignal): Promise<AuditPage> {
  const from = sinceTime(query.since);
  const page = await state.list<AuditObject>('auditrecords', { limit: query.limit ?? AUDIT_PAGE, ...(query.continue ? { continue: query.continue } : {}) }, signal);
  const records: AuditRecord[] = [];
  const skipped: SkippedRecord[] = [];
  for (const obj of page.items) {
    const rec = recordOf(obj);
    if (!rec.ok) { skipped.push({ name: obj.metadata.name, reason: rec.error }); continue; }
    if (from === undefined || Date.parse(rec.value.time) >= from) records.push(rec.value);
  }
  return { records, skipped, ...(page.continue ? { continue: page.continue } : {}) };
}

/** The whole log from `since` on, following pages. */
export async function readAllAudit(state: StateClient, query: Omit<AuditQuery, 'continue'> = {}, signal?: AbortSignal): Promise<{ records: AuditRecord[]; skipped: SkippedRecord[] }> {
  const records: AuditRecord[] = [];
  const skipped: SkippedRecord[] = [];
  let token: string | undefined;
  do {
    const page = await readAudit(state, { ...query, ...(token ? { continue: token } : {}) }, signal);
    records.push(...page.records);
    skipped.push(...page.skipped);
    token = page.continue;
  } while (token);
  return { records, skipped };
}
