/**
 * Bounds log text for people and models: keeps the newest lines within a byte budget and says plainly how
 * much was left out, so nobody mistakes a cut log for the whole story.
 */

export interface LogSection {
  /** e.g. `container api (current)`. */
  title: string;
  text: string;
}

export interface BoundedSection extends LogSection {
  lines: number;
  /** Bytes of the original text left out (0 when whole). */
  droppedBytes: number;
}

export const LOG_LIMIT_BYTES = 16 * 1024;

/** Every read of a pod log asks the API server for at most this (limitBytes): a runaway log never fills our memory. */
export const LOG_READ_BYTES = 1024 * 1024;

/** A worker Job's log is read whole for its result line: its newest WORKER_LOG_LINES lines, at most WORKER_LOG_BYTES. */
export const WORKER_LOG_LINES = 2000;
export const WORKER_LOG_BYTES = 8 * 1024 * 1024;

const countLines = (t: string) => (t === '' ? 0 : t.split('\n').length - (t.endsWith('\n') ? 1 : 0));

/** The newest part of `text` within `maxBytes`, starting at a line boundary, with an explicit marker when cut. */
export function tailToBytes(text: string, maxBytes: number): { text: string; droppedBytes: number } {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return { text, droppedBytes: 0 };
  let start = buf.length - Math.max(0, maxBytes);
  const nl = buf.indexOf(0x0a, start);
  if (nl !== -1 && nl + 1 < buf.length) start = nl + 1;
  else while (start < buf.length && (buf[start]! & 0xc0) === 0x80) start++;
  const kept = buf.subarray(start).toString('utf8');
  const droppedLines = countLines(buf.subarray(0, start).toString('utf8'));
  return { text: `[… truncated: ${start} earlier bytes (${droppedLines} lines) not shown; ask for fewer tailLines or a sinceSeconds window]\n${kept}`, droppedBytes: start };
}

/** Shares `maxBytes` fairly among sections: small ones stay whole, large ones split what is left. */
export function fitLogSections(sections: LogSection[], maxBytes = LOG_LIMIT_BYTES): BoundedSection[] {
  const sizes = sections.map((s) => Buffer.byteLength(s.text, 'utf8'));
  const budgets = new Array<number>(sections.length).fill(0);
  let left = maxBytes;
  let open = sections.map((_, i) => i);
  // Water-filling: hand out equal shares; sections smaller than their share keep all and return the rest.
  while (open.length && left > 0) {
    const share = Math.floor(left / open.length);
    const small = open.filter((i) => sizes[i]! - budgets[i]! <= share);
    if (!small.length) {
      for (const i of open) budgets[i]! += share;
      break;
    }
    for (const i of small) {
      left -= sizes[i]! - budgets[i]!;
      budgets[i] = sizes[i]!;
    }
    open = open.filter((i) => !small.includes(i));
  }
  return sections.map((s, i) => {
    const cut = tailToBytes(s.text, budgets[i]!);
    return { title: s.title, text: cut.text, lines: countLines(s.text) - (cut.droppedBytes ? countLines(Buffer.from(s.text).subarray(0, cut.droppedBytes).toString('utf8')) : 0), droppedBytes: cut.droppedBytes };
  });
}
