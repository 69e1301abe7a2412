/**
 * The audit log: one JSON line per mutation attempt and per result, appended to $GANGLION_HOME/audit.log and
 * never rewritten. Who (client), which run and step, what verb on which object in which cluster, before/after.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';

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

export const auditFile = (home: string) => path.join(home, 'audit.log');

/** Appends one record. appendFileSync with O_APPEND writes one line atomically for lines of this size. */
export function appendAudit(home: string, record: Omit<AuditRecord, 'time'> & { time?: string }): AuditRecord {
  const full: AuditRecord = { ...record, time: record.time ?? new Date().toISOString() };
  mkdirSync(home, { recursive: true });
  const { time, client, runId, stepId, verb, object, namespace, cluster, before, after, result, approvedBy } = full;
  const line = JSON.stringify({ time, client, runId, stepId, verb, object, ...(namespace ? { namespace } : {}), cluster, before: before ?? null, after: after ?? null, result, ...(approvedBy ? { approvedBy } : {}) });
  appendFileSync(auditFile(home), line + '\n', { mode: 0o600 });
  return full;
}

/** Reads the log, oldest first. `since` keeps records at or after that time. A torn last line is skipped. */
export function readAudit(home: string, { since }: { since?: Date | string } = {}): AuditRecord[] {
  const file = auditFile(home);
  if (!existsSync(file)) return [];
  const from = since === undefined ? undefined : new Date(since).getTime();
  if (from !== undefined && Number.isNaN(from)) throw new GanglionError(400, 'bad_since', `since "${String(since)}" is not a time; use an ISO time such as 2026-11-25T12:00:00Z`);
  const out: AuditRecord[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let rec: AuditRecord;
    try {
      rec = JSON.parse(line) as AuditRecord;
    } catch (cause) {
      // Only the final line may be torn (a crash mid-append); anything else is corruption worth reporting.
      if (i >= lines.length - 2) continue;
      throw new GanglionError(500, 'audit_corrupt', `${file} line ${i + 1} is not JSON; the audit log was edited by hand`, { cause });
    }
    if (from === undefined || Date.parse(rec.time) >= from) out.push(rec);
  }
  return out;
}
