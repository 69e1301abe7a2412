/** The snapshot of a persisted store: one JSON line per object after a header, written atomically (temp file, fsync, rename, directory fsync). */
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { StoreState } from '../store.js';

export const SNAPSHOT_FILE = 'snapshot.jsonl';
const FORMAT = 'kube-sim-snapshot/1';

/** The snapshot's text: a header with the resourceVersion counter, then `{"r":resource,"o":object}` per line. */
export function snapshotText(state: StoreState): string {
  const lines = [JSON.stringify({ format: FORMAT, resourceVersion: state.resourceVersion })];
  for (const [resource, objects] of state.resources) {
    const r = JSON.stringify(resource);
    for (const o of objects) lines.push(`{"r":${r},"o":${JSON.stringify(o)}}`);
  }
  return lines.join('\n') + '\n';
}

/** Replaces <dir>/snapshot.jsonl so that a crash at any point leaves either the old snapshot or the new one, whole. */
export async function writeSnapshot(dir: string, text: string): Promise<void> {
  const file = path.join(dir, SNAPSHOT_FILE);
  const temp = `${file}.tmp`;
  const fh = await open(temp, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(temp, file);
  // the rename itself is durable only once the directory entry is
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** Reads a snapshot; one that does not parse is an error naming the file (it is renamed into place whole, so it never tears). */
export async function readSnapshot(file: string): Promise<StoreState> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const fail = (line: number, why: string) => new Error(`kube-sim: ${file} line ${line} ${why}; move the file away to start from the scenario again`);
  const header: unknown = JSON.parse(lines[0] ?? '{}');
  if (typeof header !== 'object' || header === null || !('format' in header) || header.format !== FORMAT || !('resourceVersion' in header) || typeof header.resourceVersion !== 'number') {
    throw fail(1, `is not a ${FORMAT} header`);
  }
  const byResource = new Map<string, StoreState['resources'][number][1]>();
  for (let i = 1; i < lines.length; i++) {
    let entry: unknown;
    try {
      entry = JSON.parse(lines[i]);
    } catch (err) {
      throw fail(i + 1, `is not JSON (${(err as Error).message})`);
    }
    if (!isEntry(entry)) throw fail(i + 1, 'is not a stored object');
    const list = byResource.get(entry.r) ?? [];
    list.push(entry.o);
    byResource.set(entry.r, list);
  }
  return { resourceVersion: header.resourceVersion, resources: [...byResource] };
}

type Entry = { r: string; o: StoreState['resources'][number][1][number] };

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null || !('r' in value) || !('o' in value)) return false;
  const o = value.o;
  return typeof value.r === 'string' && typeof o === 'object' && o !== null && 'metadata' in o && typeof o.metadata === 'object' && o.metadata !== null && 'name' in o.metadata;
}
