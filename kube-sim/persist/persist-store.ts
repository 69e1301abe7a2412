/**
 * Keeps an object store on disk under a directory: a snapshot plus a journal of the events since. Each event is
 * appended as it happens; when the journal outgrows the snapshot, a new snapshot replaces both (compaction).
 */
import { mkdirSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from '../store.js';
import { snapshotText, writeSnapshot } from './snapshot-file.js';
import { JournalFile, journalLine, journalName } from './journal-file.js';
import { journalFiles } from './load-store-data.js';

export interface PersistOptions {
  /** compact once the journal is this many bytes and larger than the last snapshot (default 8 MiB) */
  compactBytes?: number;
  warn?: (message: string) => void;
}

export interface PersistedStore {
  /** the journal being appended to */
  journalFile(): string;
  /** writes a snapshot of the store now and starts a new journal (also done on its own as the journal grows) */
  compact(): Promise<void>;
  /** stops following the store, waits for a running compaction and syncs the journal */
  close(): Promise<void>;
}

/**
 * Writes a snapshot of the store as it is (so a freshly seeded scenario, even a 10,000-pod one, costs one file
 * rather than a journal line per object), drops older files, then journals every change.
 */
export async function persistStore(store: ObjectStore, dir: string, { compactBytes = 8 * 1024 * 1024, warn = (m) => { process.stderr.write(`${m}\n`); } }: PersistOptions = {}): Promise<PersistedStore> {
  mkdirSync(dir, { recursive: true });
  let failed = false;
  const onError = (err: Error) => {
    if (failed) return;
    failed = true;
    warn(`kube-sim: stopped persisting the store under ${dir} (${err.message}); objects changed from now on are kept in memory only`);
  };
  let journal: JournalFile | undefined;
  let snapshotBytes = 0;
  let compacting: Promise<void> | undefined;

  /** The state and a new journal switch over in one synchronous step, so every event is in exactly one of them. */
  async function compactNow(): Promise<void> {
    const state = store.dump();
    const text = snapshotText(state);
    const previous = journal;
    journal = new JournalFile(path.join(dir, journalName(state.resourceVersion)), onError);
    await previous?.close();
    await writeSnapshot(dir, text);
    snapshotBytes = Buffer.byteLength(text);
    // the snapshot holds everything older journals did; only now may they go
    for (const { file } of await journalFiles(dir)) if (file !== journal.file) await unlink(file);
  }

  function compact(): Promise<void> {
    compacting ??= compactNow().catch((err: Error) => onError(err)).finally(() => { compacting = undefined; });
    return compacting;
  }

  await rm(path.join(dir, 'snapshot.jsonl.tmp'), { force: true });
  await compactNow();
  const unsubscribe = store.onChange((ev) => {
    if (failed || !journal) return;
    try {
      journal.append(journalLine(ev));
    } catch (err) {
      onError(err as Error);
      return;
    }
    if (journal.bytes > compactBytes && journal.bytes > snapshotBytes) void compact();
  }, { shared: true });

  return {
    journalFile: () => journal?.file ?? '',
    compact,
    async close() {
      unsubscribe();
      await compacting;
      await journal?.close();
    },
  };
}
