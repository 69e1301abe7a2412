/** How runs look on a terminal: the plan, each step's progress, changes as a person reads them, the summary. */
import { describeValue } from '../cluster/change-text.js';
import type { Change } from '../events/change.js';
import type { RunView, StepView } from './read-run.js';

export interface Style {
  ok(s: string): string;
  fail(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const same = (s: string) => s;

/** Colour only on a terminal, never with NO_COLOR or TERM=dumb (no-color.org); FORCE_COLOR wins. */
export function useColour(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function createStyle(colour: boolean): Style {
  if (!colour) return { ok: same, fail: same, warn: same, dim: same, bold: same };
  return { ok: wrap(32, 39), fail: wrap(31, 39), warn: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

export function formatChange(change: Change): string {
  if (!change.object) return describeValue(change);
  const ns = change.namespace;
  const named = ns !== undefined && (change.object.includes(`(${ns})`) || change.object.includes(`/${ns}/`) || change.object.startsWith(`${ns}/`));
  const where = ns && !named ? ` (${ns})` : '';
  return `${change.object}${where}: ${describeValue(change)}`;
}

const MARKS: Record<string, string> = {
  completed: '✓',
  failed: '✗',
  running: '…',
  pending: '·',
  'awaiting-approval': '?',
  skipped: '-',
  rejected: '-',
};

export function stepLine(step: StepView, style: Style): string {
  const mark = MARKS[step.status] ?? '·';
  const painted = step.status === 'completed' ? style.ok(mark) : step.status === 'failed' ? style.fail(mark) : step.status === 'awaiting-approval' ? style.warn(mark) : style.dim(mark);
  // A running step's summary is still its dry run ("would set …"): say it is running instead.
  const text = step.error && step.status === 'failed' ? step.error.message : step.status === 'running' ? style.dim('running…') : step.summary || style.dim(step.status);
  return `  ${painted} ${style.bold(step.fn || step.id)} — ${text}`;
}

export function planLines(run: RunView, style: Style): string[] {
  if (run.steps.length === 0) return [];
  // The run id is the CLI's first line already.
  const head = `Plan${run.planner ? ` (${run.planner} planner)` : ''}:`;
  return [style.dim(head), ...run.steps.map((s, i) => `  ${i + 1}. ${s.fn || s.id}${s.why ? ` — ${s.why}` : ''}${s.mutates ? style.dim(' (changes the cluster)') : ''}`)];
}

export function approvalLines(run: RunView, style: Style): string[] {
  const changes = run.approval?.changes.length ? run.approval.changes : run.steps.flatMap((s) => (s.status === 'awaiting-approval' ? s.changes ?? [] : []));
  const lines = [style.warn(`This run changes the cluster (run ${run.runId}):`)];
  if (changes.length === 0) lines.push('  (the planner listed no field-level changes)');
  // a call with no field-level change (creating a monitor, a rollback that runs only if verify fails) reads as the call
  for (const c of changes) lines.push(`  ${c.field === 'run' && c.before === null && c.text ? c.text : formatChange(c)}`);
  return lines;
}

/** The run's last line. When it only repeats the step lines already shown, it says how many steps instead. */
export function summaryLine(run: RunView, style: Style, stepsShown = false): string {
  const done = run.steps.filter((s) => s.status === 'completed');
  const repeats = stepsShown && done.length > 1 && run.summary === done.map((s) => s.summary).join('; ');
  const text = repeats ? `done: ${done.length} steps completed` : (run.status === 'needs-input' ? run.question : undefined) || run.summary || run.question || run.status;
  if (run.status === 'completed') return `${style.ok('✓')} ${text}`;
  if (run.status === 'failed') return `${style.fail('✗')} ${text}`;
  if (run.status === 'needs-input') return `${style.warn('?')} ${run.question ?? text}`;
  if (run.status === 'rejected') return `${style.dim('-')} ${text}`;
  return `${style.warn('…')} ${text}`;
}

/** The multi-line answer a step carries in its data.text / data.lines (cluster status, failing pods, logs): the first one. */
export function detailLines(run: RunView): string[] {
  for (const d of Object.values(run.data)) {
    if (typeof d !== 'object' || d === null) continue;
    const rec = d as Record<string, unknown>;
    if (typeof rec.text === 'string' && rec.text.trim()) return rec.text.replace(/\s+$/, '').split('\n');
    if (Array.isArray(rec.lines) && rec.lines.length && rec.lines.every((l) => typeof l === 'string')) return rec.lines as string[];
  }
  return [];
}
