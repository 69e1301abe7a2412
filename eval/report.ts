/** The eval's table as a person reads it: per task, per category and overall, saying what was not measured. */
import { byCategory, totalsOf, type TaskScore, type Totals } from './score.js';

export interface ReportHeader {
  /** What planned: "embedded planner", "llama3.1:8b via http://mac:11434", "scripted stand-in …". */
  planner: string;
  k: number;
  /** The machine and date the figures come from. */
  machine: string;
  date: string;
}

const ratio = (x: number) => x.toFixed(2);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const num = (x: number | undefined) => (x === undefined ? 'n/a' : Number.isInteger(x) ? String(x) : x.toFixed(1));

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const totalsRow = (name: string, t: Totals): string[] => [name, String(t.tasks), ratio(t.pass1), ratio(t.passK), num(t.calls), num(t.promptTokens), num(t.completionTokens), seconds(t.wallMs)];

export function formatReport(header: ReportHeader, scores: TaskScore[], evalWallMs: number): string {
  const out = [`== Ganglion eval: ${header.planner}, k=${header.k}, ${scores.length} tasks (${header.machine}, ${header.date}) ==`];
  const metered = scores.some((s) => s.calls !== undefined);
  out.push(...table(
    ['task', 'category', 'passed', 'pass@1', `pass^${header.k}`, 'calls', 'prompt tok', 'compl tok', 'wall/attempt'],
    scores.map((s) => [s.task, s.category, `${s.passes}/${s.attempts}`, ratio(s.pass1), ratio(s.passK), num(s.calls), num(s.promptTokens), num(s.completionTokens), seconds(s.wallMs)]),
  ));
  out.push('', ...table(
    ['category', 'tasks', 'pass@1', `pass^${header.k}`, 'calls', 'prompt tok', 'compl tok', 'run wall'],
    [...[...byCategory(scores)].map(([c, t]) => totalsRow(c, t)), totalsRow('overall', totalsOf(scores))],
  ));
  const total = totalsOf(scores);
  const own = scores.filter((s) => s.tags.length === 0);
  const lines = scores.filter((s) => s.tags.length > 0);
  out.push('', `pass@1 ${ratio(total.pass1)} overall (${scores.filter((s) => s.passK === 1).length}/${scores.length} tasks passed every attempt)`);
  if (own.length && lines.length) out.push(`  own cluster tasks: pass@1 ${ratio(totalsOf(own).pass1)} over ${own.length}; scenario lines and paraphrases: pass@1 ${ratio(totalsOf(lines).pass1)} over ${lines.length}`);
  out.push(`eval wall time ${seconds(evalWallMs)} (a fresh kube-sim home lab and gateway per attempt; "run wall" counts only the runs, command to end, approvals included)`);
  if (!metered) out.push('model calls and tokens: n/a, the embedded planner calls no model (0 calls, 0 tokens)');
  else out.push('model calls and tokens: per attempt (totals in the category rows), counted at the wire from Ollama\'s own prompt_eval_count and eval_count');
  const failed = scores.filter((s) => s.passK === 0 && s.why.length);
  if (failed.length) {
    out.push('', 'why tasks failed (first failed attempt):');
    for (const s of failed) out.push(`  ${s.task}: ${s.why.slice(0, 3).join(' | ').slice(0, 400)}`);
  }
  const errors = scores.flatMap((s) => s.errors);
  if (errors.length) out.push('', `harness errors (${errors.length}; these attempts prove nothing about the planner):`, ...errors.map((e) => `  ${e.slice(0, 400)}`));
  return out.join('\n');
}
