/** `ganglion runs`: the planner's recent runs, newest first, one line each. */
import type { CliCommand } from '../cli-command.js';
import { toRunView, type RunView } from '../read-run.js';

function runsOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (typeof data === 'object' && data !== null && Array.isArray((data as { runs?: unknown }).runs)) return (data as { runs: unknown[] }).runs;
  return [];
}

function when(run: RunView): string {
  return run.createdAt.replace(/\.\d+Z$/, 'Z');
}

export const command: CliCommand = {
  usage: 'runs',
  summary: 'list recent runs',
  args: [],
  async run({ options, client, term }) {
    const data = await client.listRuns();
    if (options.json) {
      term.out(JSON.stringify(data, null, 2));
      return 0;
    }
    const runs = runsOf(data).map(toRunView).filter((r): r is RunView => r !== undefined);
    if (runs.length === 0) {
      term.out('No runs yet. Try: ganglion "Show me cluster status"');
      return 0;
    }
    const idWidth = Math.max(...runs.map((r) => r.runId.length), 6);
    const statusWidth = Math.max(...runs.map((r) => r.status.length), 6);
    term.out(term.style.dim(`${'RUN'.padEnd(idWidth)}  ${'STATUS'.padEnd(statusWidth)}  ${'STARTED'.padEnd(20)}  SUMMARY`));
    for (const r of runs) {
      const full = r.summary || r.text;
      const firstLine = full.split('\n')[0] ?? '';
      const text = firstLine.length > 100 ? `${firstLine.slice(0, 99)}…` : firstLine;
      term.out(`${r.runId.padEnd(idWidth)}  ${r.status.padEnd(statusWidth)}  ${when(r).padEnd(20)}  ${text}`);
    }
    return 0;
  },
};
