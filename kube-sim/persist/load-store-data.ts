/** Reads a persisted store back: the snapshot, then the journals after it; a torn journal tail is dropped with a warning. */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject, StoreState } from '../store.js';
import { readSnapshot, SNAPSHOT_FILE } from './snapshot-file.js';
import { JOURNAL_PATTERN } from './journal-file.js';

type Line = { rv: number; t: 'P'; r: string; o: KubeObject } | { rv: number; t: 'D'; r: string; ns: string; n: string };

function parseLine(text: string): Line | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  if (typeof value !== 'object' || value === null || !('rv' in value) || typeof value.rv !== 'number' || !('r' in value) || typeof value.r !== 'string') return undefined;
  if ('t' in value && value.t === 'D' && 'n' in value && typeof value.n === 'string' && 'ns' in value && typeof value.ns === 'string') return value as Line;
  if ('t' in value && value.t === 'P' && 'o' in value && typeof value.o === 'object' && value.o !== null && 'metadata' in value.o) return value as Line;
  return undefined;
}

const keyOf = (namespace: string | undefined, name: string) => (namespace ? `${namespace}/${name}` : name);

/** The journals in <dir>, oldest first. */
export async function journalFiles(dir: string): Promise<{ file: string; sinceRv: number }[]> {
  const names = await readdir(dir);
  return names.flatMap((name) => {
    const m = JOURNAL_PATTERN.exec(name);
    return m ? [{ file: path.join(dir, name), sinceRv: Number(m[1]) }] : [];
  }).sort((a, b) => a.sinceRv - b.sinceRv);
}

/**
 * The store kept in <dir>, or undefined when it holds none (a fresh home). Journal lines at or below the snapshot's
 * resourceVersion are already in it. The first line that does not parse (a write cut short by kill -9) ends the
 * replay: it and whatever follows are dropped, with a warning naming the file, and everything before it is kept.
 */
export async function loadStoreData(dir: string, warn: (message: string) => void): Promise<StoreState | undefined> {
  const snapshotFile = path.join(dir, SNAPSHOT_FILE);
  if (!existsSync(snapshotFile)) return undefined;
  const snapshot = await readSnapshot(snapshotFile);
  const tables = new Map<string, Map<string, KubeObject>>();
  for (const [resource, objects] of snapshot.resources) tables.set(resource, new Map(objects.map((o) => [keyOf(o.metadata.namespace, o.metadata.name), o])));
  let rv = snapshot.resourceVersion;
  let torn = false;
  for (const { file } of await journalFiles(dir)) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (torn) {
      warn(`kube-sim: dropped ${file} (${lines.length} records after a torn record in an earlier journal)`);
      continue;
    }
    for (let i = 0; i < lines.length; i++) {
      const line = parseLine(lines[i]);
      if (!line) {
        warn(`kube-sim: dropped a torn record at line ${i + 1} of ${file} and the ${lines.length - i - 1} after it (the previous run was killed mid-write); the ${i} records before it are kept`);
        torn = true;
        break;
      }
      if (line.rv <= snapshot.resourceVersion) continue;
      rv = Math.max(rv, line.rv);
      let table = tables.get(line.r);
      if (!table) {
        table = new Map();
        tables.set(line.r, table);
      }
      if (line.t === 'D') table.delete(keyOf(line.ns, line.n));
      else table.set(keyOf(line.o.metadata.namespace, line.o.metadata.name), line.o);
    }
  }
  return { resourceVersion: rv, resources: [...tables].map(([resource, table]) => [resource, [...table.values()]]) };
}
