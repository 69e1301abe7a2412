/**
 * The run store: each run is a Run object (ganglion.dev, k8s/05-crds.yaml) in the state namespace, so every planner
 * replica sees one copy. Writes carry the resourceVersion this process last read or wrote: when another replica
 * changed the run in between, the write fails 409 `run_changed` and this process stops writing that run. Nothing is
 * cached across calls: a read is a GET, so approve/reject/GET see what the cluster holds.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { GanglionError } from '../../kernel/errors.js';
import { formatIssues } from '../../kernel/zod-issues.js';
import { isRunId } from '../../events/run-id.js';
import { runRecordSchema, type RunRecord, type StepRecord } from '../../events/run-schema.js';
import { API_VERSION, KINDS, type GanglionObject, type StateClient } from '../../cluster-state/ganglion-objects.js';
import { compareNames } from '../../cluster/name-order.js';
import { trimOutput } from './step-output.js';

export type { RunRecord, StepRecord };

export type RunObject = GanglionObject<{ command: string; cluster?: string; client?: string }, { phase?: string; summary?: string; stepCount?: number; record?: unknown }>;
export type RunOwner = NonNullable<RunRecord['owner']>;

export interface RunList {
  runs: RunRecord[];
  /** Run objects whose record is not a run (edited by hand): listed by name and reason, so the rest still answer. */
  unreadable: Array<{ runId: string; error: string }>;
}

export interface RunStore {
  /** This process, as written into every run it saves. */
  readonly owner: RunOwner;
  /** The run as the cluster holds it now; undefined when there is none; 500 `run_invalid` when its object is not a run. */
  get(runId: string): Promise<RunRecord | undefined>;
  /**
   * Writes the run (the first save creates it). Saves of one record are written in order, and saves made while a
   * write is waiting ride on it. A run another process changed fails 409 `run_changed`, then and on every later save.
   */
  save(run: RunRecord): Promise<void>;
  /** The newest `limit` runs by creation time. */
  list(limit?: number): Promise<RunList>;
  /** Marks runs a dead planner left running as failed; returns their ids. */
  recover(now: Date): Promise<string[]>;
}

export interface RunStoreOptions {
  state: StateClient;
  /** A step's output larger than this is stored trimmed (config.state.stepOutputBytes). */
  stepOutputBytes: number;
  /** A run not written for this long has lost its driver (2 × the exec timeout: see recover). */
  staleMs: number;
  /** The pod name in a cluster (HOSTNAME), the machine's name elsewhere. */
  host?: string;
}

/** What one record knows of its object: the version to write against, the write in flight and the one waiting. */
interface Slot { version?: string; writing?: Promise<void>; queued?: Promise<void>; lost?: GanglionError }

export const runChanged = (runId: string) => new GanglionError(409, 'run_changed', `run ${runId} was changed by another planner process since this one read it, so this one stopped writing it; read it again with GET /function/planner/runs/${runId}`);

export function runInvalid(name: string, namespace: string, detail: string): GanglionError {
  return new GanglionError(500, 'run_invalid', `Run object ${name} (namespace ${namespace}) does not hold a valid run: ${detail}; fix it with kubectl edit runs.ganglion.dev ${name} -n ${namespace}, or delete it`);
}

/** The stores of this process (tests build several): a run one of them drives is not an orphan of this pid. */
const liveStarts = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createRunStore({ state, stepOutputBytes, staleMs, host = os.hostname() }: RunStoreOptions): RunStore {
  const owner: RunOwner = { host, pid: process.pid, start: `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}` };
  liveStarts.add(owner.start);
  // Keyed by the record object: a record read for GET or approve never disturbs the one the engine is driving.
  const slots = new WeakMap<RunRecord, Slot>();
  const slotOf = (run: RunRecord) => {
    let slot = slots.get(run);
    if (!slot) slots.set(run, (slot = {}));
    return slot;
  };

  function fromObject(obj: RunObject): RunRecord {
    const name = obj.metadata.name;
    const parsed = runRecordSchema.safeParse(obj.status?.record);
    if (!parsed.success) throw runInvalid(name, state.namespace, formatIssues(parsed.error, { at: 'status.record', limit: 3 }));
    if (parsed.data.runId !== name) throw runInvalid(name, state.namespace, `status.record.runId is ${JSON.stringify(parsed.data.runId)}, not the object's name`);
    slots.set(parsed.data, { ...(obj.metadata.resourceVersion ? { version: obj.metadata.resourceVersion } : {}) });
    return parsed.data;
  }

  function toObject(run: RunRecord, version: string | undefined): RunObject {
    return {
      apiVersion: API_VERSION, kind: KINDS.runs,
      metadata: { name: run.runId, ...(version ? { resourceVersion: version } : {}) },
      spec: { command: run.text, cluster: run.cluster || run.context.cluster || '', client: run.client },
      status: { phase: run.status, summary: run.summary, stepCount: run.steps.length, record: run },
    };
  }

  /** Big outputs (a log, a diff) are stored trimmed, with a note saying so: an object holds at most ~1.5 MB. */
  function trimOutputs(run: RunRecord): void {
    for (const s of run.steps) if (s.data !== undefined) s.data = trimOutput(s.data, stepOutputBytes);
    for (const id of Object.keys(run.data)) run.data[id] = trimOutput(run.data[id], stepOutputBytes);
  }

  async function write(run: RunRecord, slot: Slot): Promise<void> {
    if (slot.lost) throw slot.lost;
    run.owner = owner;
    trimOutputs(run);
    try {
      const written = slot.version
        ? await state.replace<RunObject>('runs', toObject(run, slot.version))
        : await state.create<RunObject>('runs', toObject(run, undefined));
      if (written.metadata.resourceVersion) slot.version = written.metadata.resourceVersion;
    } catch (err) {
      if (err instanceof GanglionError && (err.code === 'conflict' || err.code === 'already_exists')) {
        slot.lost = runChanged(run.runId);
        throw slot.lost;
      }
      throw err;
    }
  }

  const store: RunStore = {
    owner,
    async get(runId) {
      if (!isRunId(runId)) return undefined;
      const obj = await state.get<RunObject>('runs', runId);
      return obj && fromObject(obj);
    },
    save(run) {
      const slot = slotOf(run);
      if (slot.lost) return Promise.reject(slot.lost);
      // A write not started yet sends the record as it is when it starts: this save rides on it.
      if (slot.queued) return slot.queued;
      const go = () => { slot.queued = undefined; return write(run, slot); };
      const next = (slot.writing ?? Promise.resolve()).then(go, go);
      slot.queued = next;
      slot.writing = next;
      return next;
    },
    async list(limit = 20) {
      const out: RunList = { runs: [], unreadable: [] };
      for (const obj of await state.listAll<RunObject>('runs')) {
        try {
          out.runs.push(fromObject(obj));
        } catch (err) {
          if (!(err instanceof GanglionError) || err.code !== 'run_invalid') throw err;
          out.unreadable.push({ runId: obj.metadata.name, error: err.message });
        }
      }
      out.runs = out.runs.sort((a, b) => compareNames(b.createdAt, a.createdAt)).slice(0, limit);
      return out;
    },
    /**
     * Only runs whose driver is surely gone are failed: another replica may be driving a `running` run right now,
     * and failing it under its feet would report a change that is still being applied as interrupted. A run is
     * ours to recover when its owner is this host and that process is gone (a restarted container keeps its pod
     * name; two planners on one machine tell each other apart by pid), or when nobody has written it for staleMs.
     * A live driver writes the run after every step, and no step outlives the exec timeout, so twice that is
     * silence no live driver makes. Nothing is retried: a step that had started may or may not have applied.
     */
    async recover(now) {
      const failed: string[] = [];
      for (const run of (await store.list(Number.MAX_SAFE_INTEGER)).runs) {
        if (run.status !== 'running') continue;
        const o = run.owner;
        const ownerGone = o?.host === owner.host && !liveStarts.has(o.start) && (o.pid === owner.pid || !pidAlive(o.pid));
        const silent = now.getTime() - Date.parse(run.updatedAt) > staleMs;
        if (!ownerGone && !silent) continue;
        const started = run.steps.filter((s) => s.status === 'running').map((s) => `${s.id} (${s.fn})`);
        for (const s of run.steps) {
          if (s.status === 'running') { s.status = 'failed'; s.error = { code: 'interrupted', message: 'interrupted by a restart; check its result before running it again' }; }
          else if (s.status === 'pending' || s.status === 'awaiting-approval') s.status = 'skipped';
        }
        run.status = 'failed';
        run.error = { code: 'interrupted', message: 'interrupted by a restart of the planner' };
        run.summary = `interrupted by a restart of the planner${started.length ? `; step ${started.join(', ')} had started and may or may not have applied` : ''}; nothing will be retried automatically`;
        run.updatedAt = now.toISOString();
        try {
          await store.save(run);
          failed.push(run.runId);
        } catch (err) {
          // Another replica wrote it first (it recovered it, or it is alive after all): its write stands.
          if (!(err instanceof GanglionError) || err.code !== 'run_changed') throw err;
        }
      }
      return failed;
    },
  };
  return store;
}
