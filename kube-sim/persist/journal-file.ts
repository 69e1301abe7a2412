/**
 * The journal of a persisted store: one JSON line per store event, appended as the event happens and made durable by
 * group-committed fdatasync (one sync covers every line written while the previous one ran).
 */
import { closeSync, fdatasync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import type { StoreEvent } from '../store.js';

/** journal-<resourceVersion of the snapshot it follows>.jsonl */
export const journalName = (sinceRv: number) => `journal-${sinceRv}.jsonl`;
export const JOURNAL_PATTERN = /^journal-(\d+)\.jsonl$/;

/** One event as a line: the object's new state, or for a deletion only its key; `rv` is the event's resourceVersion. */
export function journalLine(ev: StoreEvent): string {
  const meta = ev.object.metadata;
  const rv = Number(meta.resourceVersion);
  if (ev.type === 'DELETED') return `{"rv":${rv},"t":"D","r":${JSON.stringify(ev.resource)},"ns":${JSON.stringify(meta.namespace ?? '')},"n":${JSON.stringify(meta.name)}}\n`;
  return `{"rv":${rv},"t":"P","r":${JSON.stringify(ev.resource)},"o":${JSON.stringify(ev.object)}}\n`;
}

export class JournalFile {
  bytes = 0;
  private readonly fd: number;
  private syncing = false;
  private dirty = false;
  private closed = false;
  private idle: (() => void) | undefined;

  constructor(readonly file: string, private readonly onError: (err: Error) => void) {
    this.fd = openSync(file, 'a');
  }

  /**
   * Writes the line before returning, so the API answers only after the line is in the kernel's page cache: a
   * killed process loses nothing it acknowledged. The fdatasync that also survives a power cut follows shortly.
   */
  append(line: string): void {
    if (this.closed) return;
    this.bytes += writeSync(this.fd, line);
    this.dirty = true;
    this.syncSoon();
  }

  /** Syncs what is written and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.syncing) await new Promise<void>((resolve) => { this.idle = resolve; });
    fdatasyncSync(this.fd);
    closeSync(this.fd);
  }

  private syncSoon(): void {
    if (this.syncing) return;
    this.syncing = true;
    this.dirty = false;
    fdatasync(this.fd, (err) => {
      this.syncing = false;
      if (err) this.onError(err);
      if (this.idle) {
        this.idle();
        return;
      }
      if (this.dirty && !this.closed) this.syncSoon();
    });
  }
}
