/**
 * The durable queue behind /async-function: an append-only JSON-lines journal under $GANGLION_HOME/queue,
 * group-committed with fdatasync (an enqueue is acknowledged only once on disk), replayed on start (a torn
 * last line from kill -9 is dropped) and compacted into a snapshot of what is still live. Bodies and headers stay
 * in the journal: memory holds a call's id, attempts and where its record lies, so a full queue costs little RSS.
 * It is capped in calls and bytes: past either, enqueue refuses (the caller answers 429) and nothing accepted is lost.
 */
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';
import { GanglionError } from '../kernel/errors.js';
import { readJournal, type AsyncCall, type DeadLetter, type JournalRecord } from './async-journal.js';

export type { AsyncCall, DeadLetter } from './async-journal.js';

/** What memory keeps of a call: the rest is read back from its journal record (`at`, `len`) when needed. */
interface Held {
  id: string;
  fn: string;
  enqueuedAt: string;
  attempts: number;
  lastError?: string;
  /** Byte offset and length of the call's `enq` record in the current journal file. */
  at: number;
  len: number;
}

interface HeldDead extends Held {
  deadAt: string;
  reason: string;
}

export type DeadLetterSummary = Omit<DeadLetter, 'body' | 'headers' | 'query'>;

export interface AsyncQueue {
  /**
   * Resolves once the call is on disk; false when a call with this id is already queued. Throws a 429 GanglionError
   * (code queue_full, details.retryAfterSeconds) when the queue holds maxPending calls or maxBytes of records.
   */
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
  deadLetters(): DeadLetterSummary[];
  stats(): { pending: number; inFlight: number; delayed: number; dead: number };
  /** Bytes of the live calls' records (what maxBytes caps). */
  bytes(): number;
  /** Called whenever a call becomes ready. */
  onReady(listener: () => void): void;
  close(): Promise<void>;
}

export interface AsyncQueueOptions {
  /** Compact when the queue drains and the journal holds more records than this. */
  compactAfter?: number;
  /** Calls queued (pending, delayed and in flight) at most; GANGLION_ASYNC_MAX_PENDING. */
  maxPending?: number;
  /** Bytes of queued call records at most; GANGLION_ASYNC_MAX_BYTES. */
  maxBytes?: number;
  /** The Retry-After a refused submission is told (seconds). */
  retryAfterSeconds?: number;
}

export async function openAsyncQueue(dir: string, { compactAfter = 20_000, maxPending = 10_000, maxBytes = 256 * 1024 * 1024, retryAfterSeconds = 5 }: AsyncQueueOptions = {}): Promise<AsyncQueue> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'journal.jsonl');
  const calls = new Map<string, Held>();
  const dead = new Map<string, HeldDead>();
  let liveBytes = 0;
  let readFd = -1;
  let records = 0;
  /** Where the next appended byte lands in the journal file (records are written in the order they are buffered). */
  let writeAt = 0;

  /** The full call of a held record, read back from the journal. */
  function load(h: Held): AsyncCall {
    const buf = Buffer.alloc(h.len);
    readSync(readFd, buf, 0, h.len, h.at);
    const rec = JSON.parse(buf.toString('utf8')) as { op: 'enq'; call: AsyncCall };
    const call: AsyncCall = { ...rec.call, attempts: h.attempts };
    if (h.lastError !== undefined) call.lastError = h.lastError;
    return call;
  }
  const hold = (call: AsyncCall, at: number, len: number): Held => ({
    id: call.id, fn: call.fn, enqueuedAt: call.enqueuedAt, attempts: call.attempts, at, len, ...(call.lastError !== undefined ? { lastError: call.lastError } : {}),
  });

  // Replay: the full records are read once here (the journal as it was), and only what is live is kept.
  {
    const { buf: raw, entries } = readJournal(file);
    const bytesOf = new Map<string, Buffer>();
    for (const { rec, at, len } of entries) {
      if (rec.op === 'enq') { calls.set(rec.call.id, hold(rec.call, at, len)); bytesOf.set(rec.call.id, raw.subarray(at, at + len)); }
      else if (rec.op === 'fail') { const c = calls.get(rec.id); if (c) { c.attempts = rec.attempts; c.lastError = rec.error; } }
      else if (rec.op === 'done') { calls.delete(rec.id); bytesOf.delete(rec.id); }
      else if (rec.op === 'dead') { const c = calls.get(rec.id); if (c) { calls.delete(rec.id); dead.set(rec.id, { ...c, deadAt: rec.at, reason: rec.reason }); } }
      else if (rec.op === 'replay') { const d = dead.get(rec.id); if (d) { dead.delete(rec.id); const { deadAt: _a, reason: _r, ...c } = d; calls.set(rec.id, { ...c, attempts: 0 }); } }
    }
    compactFrom((h) => JSON.parse((bytesOf.get(h.id) as Buffer).toString('utf8')).call as AsyncCall);
  }

  const ready: string[] = [...calls.keys()];
  let head = 0;
  const inFlight = new Set<string>();
  const delayed = new Map<string, NodeJS.Timeout>();
  const listeners: Array<() => void> = [];
  const notify = () => { for (const l of listeners) l(); };

  let fh: FileHandle;
  let buffer: string[] = [];
  let waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  let flushing = false;
  let compactWanted = false;

  /**
   * Snapshot of what is live, written beside the journal and renamed over it, then the directory synced; the held
   * offsets move to the new file. `full` gives a call's whole record (from the old file).
   */
  function compactFrom(full: (h: Held) => AsyncCall): void {
    const lines: string[] = [];
    const placed: Array<[Held, number, number]> = [];
    let at = 0;
    const put = (line: string, h?: Held) => {
      const len = Buffer.byteLength(line);
      if (h) placed.push([h, at, len]);
      lines.push(line);
      at += len + 1;
    };
    for (const h of calls.values()) put(JSON.stringify({ op: 'enq', call: full(h) }), h);
    for (const d of dead.values()) {
      put(JSON.stringify({ op: 'enq', call: full(d) }), d);
      put(JSON.stringify({ op: 'dead', id: d.id, reason: d.reason, at: d.deadAt }));
    }
    writeFileAtomic(file, lines.length ? lines.join('\n') + '\n' : '', { mode: 0o600 });
    liveBytes = 0;
    for (const [h, offset, len] of placed) {
      h.at = offset;
      h.len = len;
      if (calls.has(h.id)) liveBytes += len;
    }
    records = lines.length;
    writeAt = at;
    if (readFd >= 0) closeSync(readFd);
    readFd = openSync(file, 'r');
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
      // Synchronous from the check to the new file: nothing is appended in between, so every offset stays true.
      if (compactWanted && calls.size === 0 && buffer.length === 0) {
        compactWanted = false;
        const old = fh;
        compactFrom(load);
        fh = await open(file, 'a', 0o600);
        await old.close();
      }
    } finally {
      flushing = false;
    }
    if (buffer.length) void flush();
  }

  /** Buffers a record for the next group commit; returns where it will lie in the file and when it is on disk. */
  function append(rec: JournalRecord): { at: number; len: number; done: Promise<void> } {
    const line = JSON.stringify(rec);
    const at = writeAt;
    const len = Buffer.byteLength(line);
    buffer.push(line + '\n');
    writeAt += len + 1;
    records += 1;
    const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    if (!flushing) void flush();
    return { at, len, done };
  }

  fh = await open(file, 'a', 0o600);

  const take = (id: string) => { inFlight.delete(id); const t = delayed.get(id); if (t) clearTimeout(t); delayed.delete(id); };
  const full = (what: string) => new GanglionError(429, 'queue_full', `the async queue is full (${what}); retry after ${retryAfterSeconds} s, or raise GANGLION_ASYNC_MAX_PENDING / GANGLION_ASYNC_MAX_BYTES`, { details: { retryAfterSeconds } });

  return {
    async enqueue(call) {
      if (calls.has(call.id)) return false;
      if (calls.size >= maxPending) throw full(`${calls.size} calls waiting, the most GANGLION_ASYNC_MAX_PENDING allows`);
      const rec: JournalRecord = { op: 'enq', call };
      const size = Buffer.byteLength(JSON.stringify(rec));
      if (liveBytes + size > maxBytes) throw full(`${liveBytes} bytes waiting; this call's ${size} would pass GANGLION_ASYNC_MAX_BYTES=${maxBytes}`);
      const { at, len, done } = append(rec);
      const held = hold(call, at, len);
      calls.set(call.id, held);
      liveBytes += len;
      try {
        await done;
      } catch (err) {
        if (calls.get(call.id) === held) { calls.delete(call.id); liveBytes -= len; }
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
        const held = calls.get(id);
        if (!held || inFlight.has(id)) continue;
        inFlight.add(id);
        return load(held);
      }
      return undefined;
    },
    async recordFailure(id, error) {
      const call = calls.get(id);
      if (!call) return 0;
      call.attempts += 1;
      call.lastError = error;
      await append({ op: 'fail', id, attempts: call.attempts, error }).done;
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
      const held = calls.get(id);
      if (!held) return;
      calls.delete(id);
      liveBytes -= held.len;
      if (calls.size === 0 && records > compactAfter) compactWanted = true;
      await append({ op: 'done', id }).done;
    },
    async bury(id, reason) {
      take(id);
      const held = calls.get(id);
      if (!held) return;
      calls.delete(id);
      liveBytes -= held.len;
      const at = new Date().toISOString();
      dead.set(id, { ...held, deadAt: at, reason });
      await append({ op: 'dead', id, reason, at }).done;
    },
    async replay(id) {
      const d = dead.get(id);
      if (!d) return false;
      dead.delete(id);
      const { deadAt: _a, reason: _r, ...held } = d;
      calls.set(id, { ...held, attempts: 0 });
      liveBytes += held.len;
      await append({ op: 'replay', id }).done;
      ready.push(id);
      notify();
      return true;
    },
    deadLetters: () => [...dead.values()].map((d) => {
      const { body: _b, headers: _h, query: _q, ...rest } = load(d);
      return { ...rest, deadAt: d.deadAt, reason: d.reason };
    }),
    stats: () => ({ pending: calls.size - inFlight.size, inFlight: inFlight.size, delayed: delayed.size, dead: dead.size }),
    bytes: () => liveBytes,
    onReady(listener) { listeners.push(listener); },
    async close() {
      for (const t of delayed.values()) clearTimeout(t);
      while (flushing || buffer.length) await new Promise((r) => setTimeout(r, 5));
      await fh.close();
      if (readFd >= 0) closeSync(readFd);
      readFd = -1;
    },
  };
}
