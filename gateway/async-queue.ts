/**
 * The durable queue behind /async-function: an append-only JSON-lines journal under $GANGLION_HOME/queue,
 * group-committed with fdatasync (an enqueue is acknowledged only once on disk), replayed on start (a torn
 * last line from kill -9 is dropped) and compacted into a snapshot of what is still live.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';

export interface AsyncCall {
  /** The call id: the idempotency key every delivery carries as X-Call-Id. */
  id: string;
  /** `NAME` or `NAME.NAMESPACE` as submitted. */
  fn: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** Request body, base64. */
  body: string;
  callbackUrl?: string;
  enqueuedAt: string;
  attempts: number;
  lastError?: string;
}

export interface DeadLetter extends AsyncCall {
  deadAt: string;
  reason: string;
}

type JournalRecord =
  | { op: 'enq'; call: AsyncCall }
  | { op: 'fail'; id: string; attempts: number; error: string }
  | { op: 'done'; id: string }
  | { op: 'dead'; id: string; reason: string; at: string }
  | { op: 'replay'; id: string };

export interface AsyncQueue {
  /** Resolves once the call is on disk; false when a call with this id is already queued. */
  enqueue(call: AsyncCall): Promise<boolean>;
  /** The next ready call, now in flight; undefined when none is ready. */
  next(): AsyncCall | undefined;
  /** Counts a failed attempt (durably) and returns how many attempts there have been. */
  recordFailure(id: string, error: string): Promise<number>;
  /** Puts an in-flight call back in line after a delay. */
  retryAfter(id: string, delayMs: number): void;
  complete(id: string): Promise<void>;
  /** Moves a call to the dead-letter list. */
  bury(id: string, reason: string): Promise<void>;
  /** Puts a dead letter back in the queue with a fresh attempt count; false if there is no such dead letter. */
  replay(id: string): Promise<boolean>;
  deadLetters(): DeadLetter[];
  stats(): { pending: number; inFlight: number; delayed: number; dead: number };
  /** Called whenever a call becomes ready. */
  onReady(listener: () => void): void;
  close(): Promise<void>;
}

export interface AsyncQueueOptions {
  /** Compact when the queue drains and the journal holds more records than this. */
  compactAfter?: number;
}

function readJournal(file: string): JournalRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      continue; // a line torn by a crash mid-write was never acknowledged
    }
  }
  return records;
}

export async function openAsyncQueue(dir: string, { compactAfter = 20_000 }: AsyncQueueOptions = {}): Promise<AsyncQueue> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'journal.jsonl');
  const calls = new Map<string, AsyncCall>();
  const dead = new Map<string, DeadLetter>();
  for (const rec of readJournal(file)) {
    if (rec.op === 'enq') calls.set(rec.call.id, { ...rec.call });
    else if (rec.op === 'fail') { const c = calls.get(rec.id); if (c) { c.attempts = rec.attempts; c.lastError = rec.error; } }
    else if (rec.op === 'done') calls.delete(rec.id);
    else if (rec.op === 'dead') { const c = calls.get(rec.id); if (c) { calls.delete(rec.id); dead.set(rec.id, { ...c, deadAt: rec.at, reason: rec.reason }); } }
    else if (rec.op === 'replay') { const d = dead.get(rec.id); if (d) { dead.delete(rec.id); const { deadAt: _a, reason: _r, ...c } = d; calls.set(rec.id, { ...c, attempts: 0 }); } }
  }
  const ready: string[] = [...calls.keys()];
  let head = 0;
  const inFlight = new Set<string>();
  const delayed = new Map<string, NodeJS.Timeout>();
  const listeners: Array<() => void> = [];
  const notify = () => { for (const l of listeners) l(); };

  let fh: FileHandle;
  let records = 0;
  let buffer: string[] = [];
  let waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  let flushing = false;
  let compactWanted = false;

  // Snapshot of what is live, written beside the journal and renamed over it, then the directory synced.
  function compactSync(): void {
    const lines: string[] = [];
    for (const c of calls.values()) lines.push(JSON.stringify({ op: 'enq', call: c }));
    for (const d of dead.values()) {
      const { deadAt, reason, ...c } = d;
      lines.push(JSON.stringify({ op: 'enq', call: c }), JSON.stringify({ op: 'dead', id: d.id, reason, at: deadAt }));
    }
    writeFileAtomic(file, lines.length ? lines.join('\n') + '\n' : '', { mode: 0o600 });
    records = lines.length;
  }

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (buffer.length) {
        const data = buffer.join('');
        const batch = waiters;
        buffer = [];
        waiters = [];
        try {
          await fh.write(data);
          await fh.datasync();
          for (const w of batch) w.resolve();
        } catch (err) {
          for (const w of batch) w.reject(err as Error);
        }
      }
      if (compactWanted && calls.size === 0) {
        compactWanted = false;
        await fh.close();
        // The snapshot is taken from memory, which already holds whatever was appended meanwhile:
        // those records are in it, so they are dropped from the buffer and acknowledged with it.
        const covered = waiters;
        buffer = [];
        waiters = [];
        try {
          compactSync();
          for (const w of covered) w.resolve();
        } catch (err) {
          for (const w of covered) w.reject(err as Error);
        }
        fh = await open(file, 'a', 0o600);
      }
    } finally {
      flushing = false;
    }
    if (buffer.length) void flush();
  }

  function append(rec: JournalRecord): Promise<void> {
    buffer.push(JSON.stringify(rec) + '\n');
    records += 1;
    const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    if (!flushing) void flush();
    return done;
  }

  compactSync();
  fh = await open(file, 'a', 0o600);

  const take = (id: string) => { inFlight.delete(id); const t = delayed.get(id); if (t) clearTimeout(t); delayed.delete(id); };

  return {
    async enqueue(call) {
      if (calls.has(call.id)) return false;
      calls.set(call.id, call);
      try {
        await append({ op: 'enq', call });
      } catch (err) {
        calls.delete(call.id);
        throw err;
      }
      ready.push(call.id);
      notify();
      return true;
    },
    next() {
      while (head < ready.length) {
        const id = ready[head++] as string;
        if (head > 4096 && head * 2 > ready.length) { ready.splice(0, head); head = 0; }
        const call = calls.get(id);
        if (!call || inFlight.has(id)) continue;
        inFlight.add(id);
        return call;
      }
      return undefined;
    },
    async recordFailure(id, error) {
      const call = calls.get(id);
      if (!call) return 0;
      call.attempts += 1;
      call.lastError = error;
      await append({ op: 'fail', id, attempts: call.attempts, error });
      return call.attempts;
    },
    retryAfter(id, delayMs) {
      inFlight.delete(id);
      const timer = setTimeout(() => { delayed.delete(id); ready.push(id); notify(); }, delayMs);
      timer.unref();
      delayed.set(id, timer);
    },
    async complete(id) {
      take(id);
      if (!calls.delete(id)) return;
      if (calls.size === 0 && records > compactAfter) compactWanted = true;
      await append({ op: 'done', id });
    },
    async bury(id, reason) {
      take(id);
      const call = calls.get(id);
      if (!call) return;
      calls.delete(id);
      const at = new Date().toISOString();
      dead.set(id, { ...call, deadAt: at, reason });
      await append({ op: 'dead', id, reason, at });
    },
    async replay(id) {
      const d = dead.get(id);
      if (!d) return false;
      dead.delete(id);
      const { deadAt: _a, reason: _r, ...call } = d;
      calls.set(id, { ...call, attempts: 0 });
      await append({ op: 'replay', id });
      ready.push(id);
      notify();
      return true;
    },
    deadLetters: () => [...dead.values()],
    stats: () => ({ pending: calls.size - inFlight.size, inFlight: inFlight.size, delayed: delayed.size, dead: dead.size }),
    onReady(listener) { listeners.push(listener); },
    async close() {
      for (const t of delayed.values()) clearTimeout(t);
      while (flushing || buffer.length) await new Promise((r) => setTimeout(r, 5));
      await fh.close();
    },
  };
}
