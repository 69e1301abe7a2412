/** The async queue's journal records (JSON lines) and the one reader that replays them with their byte offsets. */
import { readFileSync } from 'node:fs';

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

export type JournalRecord =
  | { op: 'enq'; call: AsyncCall }
  | { op: 'fail'; id: string; attempts: number; error: string }
  | { op: 'done'; id: string }
  | { op: 'dead'; id: string; reason: string; at: string }
  | { op: 'replay'; id: string };

/** One journal line per record, with its byte offset; a line torn by a crash mid-write was never acknowledged. */
export function readJournal(file: string): { buf: Buffer; entries: Array<{ rec: JournalRecord; at: number; len: number }> } {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { buf: Buffer.alloc(0), entries: [] };
    throw err;
  }
  const out: Array<{ rec: JournalRecord; at: number; len: number }> = [];
  for (let at = 0; at < buf.length;) {
    const nl = buf.indexOf(0x0a, at);
    const end = nl < 0 ? buf.length : nl;
    if (end > at) {
      try {
        out.push({ rec: JSON.parse(buf.toString('utf8', at, end)) as JournalRecord, at, len: end - at });
      } catch {
        // torn: dropped
      }
    }
    at = end + 1;
  }
  return { buf, entries: out };
}
