/**
 * Bounds what a read tool answers before it reaches a person or a model: the first lines within a line and a byte
 * budget, and a plain line saying how much was left out and how to narrow the read.
 */

export const OUTPUT_MAX_LINES = 200;
export const OUTPUT_MAX_BYTES = 16 * 1024;

export interface Capped {
  text: string;
  /** Lines left out (0 = all shown). */
  droppedLines: number;
  droppedBytes: number;
}

/** The head of `text` within `maxLines` and `maxBytes` (whole lines only), with a marker when anything was cut. */
export function capOutput(text: string, { maxLines = OUTPUT_MAX_LINES, maxBytes = OUTPUT_MAX_BYTES, narrow = 'narrow the read' }: { maxLines?: number; maxBytes?: number; narrow?: string } = {}): Capped {
  const lines = text.replace(/\n+$/, '').split('\n');
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (kept.length >= maxLines || bytes + size > maxBytes) break;
    kept.push(line);
    bytes += size;
  }
  const droppedLines = lines.length - kept.length;
  if (!droppedLines) return { text: kept.join('\n'), droppedLines: 0, droppedBytes: 0 };
  const droppedBytes = Buffer.byteLength(lines.slice(kept.length).join('\n'), 'utf8');
  return { text: `${kept.join('\n')}\n[… trimmed: ${droppedLines} more line${droppedLines === 1 ? '' : 's'} (${droppedBytes} bytes) not shown; ${narrow}]`, droppedLines, droppedBytes };
}
