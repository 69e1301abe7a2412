/**
 * The run store: one JSON file per run under $GANGLION_HOME/runs/, written atomically (temp file + rename), with
 * the live records kept in memory so concurrent approvals see one state. On start, runs a crash left `running`
 * are marked failed — never silently lost, never resumed into applying a change twice.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { GanglionError } from '../../kernel/errors.js';
import { isRunId } from '../../events/run-id.js';
import type { RunView, StepView } from '../../events/run-schema.js';
import { compareNames } from '../../cluster/name-order.js';
import { writeFileAtomic } from '../../kernel/atomic-write.js';

/** A step as stored: what clients see, plus what the engine needs to continue. */
export interface StepRecord extends StepView {
  /** The dry run has reported its changes. */
  previewed?: boolean;
  /** Cleared to run by a person, the policy or the client's yes. */
  approved?: boolean;
  /** A later re-plan took over from this failed step. */
  superseded?: boolean;
  /** The model that added this step in a re-plan, after seeing tool output: a client's yes does not cover it. */
  addedByModel?: string;
}

export interface RunRecord extends Omit<RunView, 'steps' | 'approval'> {
  steps: StepRecord[];
  approval?: Omit<NonNullable<RunView['approval']>, 'token'>;
  context: { yes: boolean; planOnly: boolean; cluster?: string };
  traceparent: string;
  hopsLeft: number;
  /** sha256 of the pending approval token; cleared the moment it is used. */
  tokenHash?: string;
  replans: number;
  /** Finished steps the planner has already seen in a re-plan call. */
  considered?: string[];
  /** The cluster the facts came from (audit). */
  cluster: string;
}

const MAX_LIVE = 500;

export interface RunStore {
  get(runId: string): RunRecord | undefined;
  save(run: RunRecord): void;
  list(limit?: number): RunRecord[];
  /** Marks runs a crash left running as failed; returns their ids. */
  recover(now: Date): string[];
}

export function createRunStore(home: string): RunStore {
  const dir = path.join(home, 'runs');
  const live = new Map<string, RunRecord>();
  const file = (id: string) => path.join(dir, `${id}.json`);

  function read(id: string): RunRecord | undefined {
    if (!isRunId(id) || !existsSync(file(id))) return undefined;
    try {
      return JSON.parse(readFileSync(file(id), 'utf8')) as RunRecord;
    } catch (cause) {
      throw new GanglionError(500, 'run_store_corrupt', `run file ${file(id)} is not JSON: ${(cause as Error).message}`, { cause });
    }
  }

  const store: RunStore = {
    get(runId) {
      const hit = live.get(runId);
      if (hit) return hit;
      const loaded = read(runId);
      if (loaded) live.set(runId, loaded);
      return loaded;
    },
    save(run) {
      mkdirSync(dir, { recursive: true });
      live.set(run.runId, run);
      // Keep memory bounded: finished runs are re-read from their file when asked for again.
      if (live.size > MAX_LIVE) {
        for (const [id, r] of live) {
          if (live.size <= MAX_LIVE / 2) break;
          if (r.status !== 'running' && r.status !== 'awaiting-approval') live.delete(id);
        }
      }
      writeFileAtomic(file(run.runId), JSON.stringify(run, null, 1), { mode: 0o600 });
      // The file's mtime is the run's creation time, so list() finds the newest runs without reading every file.
      const created = new Date(run.createdAt);
      if (!Number.isNaN(created.getTime())) utimesSync(file(run.runId), created, created);
    },
    list(limit = 20) {
      if (!existsSync(dir)) return [];
      // Clients choose run ids (their command's event id), so names say nothing of age; the mtime save() set does.
      const ids = readdirSync(dir).filter((f) => f.endsWith('.json'))
        .map((f) => ({ id: f.slice(0, -5), created: statSync(path.join(dir, f)).mtimeMs }))
        .sort((a, b) => b.created - a.created).slice(0, limit * 2).map((f) => f.id);
      const runs = ids.map((id) => store.get(id)).filter((r): r is RunRecord => r !== undefined);
      return runs.sort((a, b) => compareNames(b.createdAt, a.createdAt)).slice(0, limit);
    },
    recover(now) {
      if (!existsSync(dir)) return [];
      const failed: string[] = [];
      for (const f of readdirSync(dir)) {
        if (!f.endsWith('.json')) continue;
        const run = read(f.slice(0, -5));
        if (!run || run.status !== 'running') continue;
        const started = run.steps.filter((s) => s.status === 'running').map((s) => `${s.id} (${s.fn})`);
        for (const s of run.steps) {
          if (s.status === 'running') { s.status = 'failed'; s.error = { code: 'interrupted', message: 'interrupted by a restart; check its result before running it again' }; }
          else if (s.status === 'pending' || s.status === 'awaiting-approval') s.status = 'skipped';
        }
        run.status = 'failed';
        run.error = { code: 'interrupted', message: 'interrupted by a restart of the planner' };
        run.summary = `interrupted by a restart of the planner${started.length ? `; step ${started.join(', ')} had started and may or may not have applied` : ''}; nothing will be retried automatically`;
        run.updatedAt = now.toISOString();
        store.save(run);
        failed.push(run.runId);
      }
      return failed;
    },
  };
  return store;
}
