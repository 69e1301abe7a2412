/** `ganglion audit`: every change Ganglion applied, from the planner's audit endpoint or else $GANGLION_HOME/audit.log. */
import { existsSync } from 'node:fs';
import { auditFile, readAudit, type AuditRecord } from '../../audit/audit-log.js';
import type { CliCommand } from '../cli-command.js';
import { describeValue as formatChangeValue } from '../../cluster/change-text.js';

type AuditLine = Partial<AuditRecord> & { field?: string };

/** The newest records a terminal shows; --json gives every one. */
const SHOWN = 30;

/** before/after may be whole values or {field: value} maps; show each field as `field old → new`. */
function changeText(rec: AuditLine): string {
  const b = rec.before;
  const a = rec.after;
  if (typeof b === 'object' && b !== null && typeof a === 'object' && a !== null && !Array.isArray(b)) {
    const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return fields.map((f) => formatChangeValue({ field: f, before: (b as Record<string, unknown>)[f], after: (a as Record<string, unknown>)[f] })).join(', ');
  }
  return formatChangeValue({ field: rec.field ?? 'value', before: b, after: a });
}

function resultText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && result !== null && 'status' in result) return String((result as { status: unknown }).status);
  return result === undefined ? '' : JSON.stringify(result);
}

export const command: CliCommand = {
  usage: 'audit',
  summary: 'show the audit log of applied changes',
  maxArgs: 0,
  async run({ options, client, term }) {
    const remote = await client.audit();
    if (remote === undefined && !existsSync(auditFile(options.home))) {
      term.out(`No audit log at ${auditFile(options.home)} yet: nothing has been changed (set GANGLION_HOME if the stack keeps it elsewhere).`);
      return 0;
    }
    const records: AuditLine[] = (remote as AuditLine[] | undefined) ?? readAudit(options.home);
    if (options.json) {
      term.out(JSON.stringify(records, null, 2));
      return 0;
    }
    if (records.length === 0) term.out('The audit log is empty: nothing has been changed.');
    const shown = records.slice(-SHOWN);
    if (records.length > shown.length) term.out(term.style.dim(`… ${records.length - shown.length} earlier records (ganglion audit --json prints all)`));
    for (const r of shown) {
      const where = r.cluster ? ` [${r.cluster}]` : '';
      term.out(`${r.time ?? ''}  ${r.verb ?? ''} ${r.object ?? ''}${where}  ${changeText(r)}  ${resultText(r.result)}  ${term.style.dim(`run ${r.runId ?? '?'} by ${r.client ?? '?'}`)}`);
    }
    return 0;
  },
};
