/** `ganglion audit`: the changes Ganglion attempted and applied, newest last, as the planner serves them (GET /audit). */
import type { AuditRecord } from '../../audit/audit-log.js';
import type { CliCommand } from '../cli-command.js';
import { describeValue, describeValues } from '../../cluster/change-text.js';

type AuditLine = Partial<AuditRecord> & { field?: string };

/** The newest records a terminal shows; --json gives as many as the planner serves at once. */
const SHOWN = 30;
const MOST = 1000;

/** before/after may be whole values or {field: value} maps; show each field as `field old → new`. */
function changeText(rec: AuditLine): string {
  const b = rec.before;
  const a = rec.after;
  if (typeof b === 'object' && b !== null && typeof a === 'object' && a !== null && !Array.isArray(b)) {
    const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return describeValues(fields.map((f) => ({ field: f, before: (b as Record<string, unknown>)[f], after: (a as Record<string, unknown>)[f] })));
  }
  return describeValue({ field: rec.field ?? 'value', before: b, after: a });
}

function resultText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && result !== null && 'status' in result) return String((result as { status: unknown }).status);
  return result === undefined ? '' : JSON.stringify(result);
}

export const command: CliCommand = {
  usage: 'audit',
  summary: 'show the audit log of changes (the newest 30; --json: up to 1000)',
  args: [],
  async run({ options, client, term }) {
    const page = await client.audit(options.json ? MOST : SHOWN);
    const records = page.records as AuditLine[];
    const earlier = page.total - records.length;
    if (options.json) {
      term.out(JSON.stringify(records, null, 2));
      if (earlier > 0) term.info(`… ${earlier} earlier records not shown (the planner serves the newest ${MOST})`);
      return 0;
    }
    if (records.length === 0) term.out('The audit log is empty: nothing has been changed.');
    if (earlier > 0) term.out(term.style.dim(`… ${earlier} earlier records (ganglion audit --json prints up to ${MOST})`));
    for (const r of records) {
      const where = r.cluster ? ` [${r.cluster}]` : '';
      term.out(`${r.time ?? ''}  ${r.verb ?? ''} ${r.object ?? ''}${where}  ${changeText(r)}  ${resultText(r.result)}  ${term.style.dim(`run ${r.runId ?? '?'} by ${r.client ?? '?'}`)}`);
    }
    return 0;
  },
};
