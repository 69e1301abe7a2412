/**
 * `ganglion audit`: the changes Ganglion attempted and applied, newest last, as the planner serves them (GET /audit):
 * it follows the pages (oldest first) and keeps the newest `--limit`.
 */
import type { AuditRecord } from '../../audit/audit-log.js';
import type { CliCommand } from '../cli-command.js';
import type { AuditPage } from '../planner-client.js';
import { describeValue, describeValues } from '../../cluster/change-text.js';

type AuditLine = Partial<AuditRecord> & { field?: string };

/** The newest records a terminal shows unless --limit says otherwise; --json prints them all. */
const SHOWN = 30;
/** Records asked for per page (the planner's most). */
const PAGE = 1000;

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
  summary: 'show the audit log of changes (the newest 30, or --limit n; --json: all)',
  args: [],
  async run({ options, client, term }) {
    const keep = options.limit ?? (options.json ? Infinity : SHOWN);
    const newest: AuditLine[] = [];
    const skipped: AuditPage['skipped'] = [];
    let total = 0;
    let token: string | undefined;
    do {
      const page = await client.audit({ limit: PAGE, ...(token ? { continue: token } : {}) });
      total += page.records.length;
      newest.push(...(page.records as AuditLine[]));
      if (newest.length > keep) newest.splice(0, newest.length - keep);
      skipped.push(...page.skipped);
      token = page.continue;
    } while (token);
    for (const s of skipped) term.info(`left out ${s.name}: ${s.reason}`);
    const earlier = total - newest.length;
    if (options.json) {
      term.out(JSON.stringify(newest, null, 2));
      if (earlier > 0) term.info(`… ${earlier} earlier records not shown (--limit ${keep})`);
      return 0;
    }
    if (newest.length === 0) term.out('The audit log is empty: nothing has been changed.');
    if (earlier > 0) term.out(term.style.dim(`… ${earlier} earlier records (ganglion audit --limit <n> shows more)`));
    for (const r of newest) {
      const where = r.cluster ? ` [${r.cluster}]` : '';
      term.out(`${r.time ?? ''}  ${r.verb ?? ''} ${r.object ?? ''}${where}  ${changeText(r)}  ${resultText(r.result)}  ${term.style.dim(`run ${r.runId ?? '?'} by ${r.client ?? '?'}${r.approvedBy ? `, approved by ${r.approvedBy}` : ''}`)}`);
    }
    return 0;
  },
};
