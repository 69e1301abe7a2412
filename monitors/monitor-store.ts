/** The durable monitor store: one JSON file per monitor under $GANGLION_HOME/monitors/, holding its rule and incident state. */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import { emptyState, type MonitorState } from './incident-state.js';
import type { Monitor } from './monitor-rule.js';
import { writeFileAtomic } from '../kernel/atomic-write.js';

export interface MonitorRecord {
  monitor: Monitor;
  state: MonitorState;
}

export const monitorsDir = (home: string) => path.join(home, 'monitors');
const fileOf = (home: string, id: string) => {
  if (!/^[a-z0-9][-a-z0-9]{0,62}$/.test(id)) throw new GanglionError(400, 'invalid_monitor_id', `monitor id "${id}" must be lower-case letters, digits and "-"`);
  return path.join(monitorsDir(home), `${id}.json`);
};

export function readMonitor(home: string, id: string): MonitorRecord | undefined {
  try {
    const raw = JSON.parse(readFileSync(fileOf(home, id), 'utf8')) as Partial<MonitorRecord>;
    if (!raw.monitor) throw new GanglionError(500, 'monitor_corrupt', `${fileOf(home, id)} has no monitor; delete the file and create the monitor again`);
    return { monitor: raw.monitor, state: { ...emptyState(), ...raw.state } };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function listMonitors(home: string): MonitorRecord[] {
  let names: string[];
  try {
    names = readdirSync(monitorsDir(home)).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.map((f) => readMonitor(home, f.slice(0, -'.json'.length))).filter((r): r is MonitorRecord => r !== undefined);
}

export function saveMonitor(home: string, record: MonitorRecord): void {
  writeFileAtomic(fileOf(home, record.monitor.id), JSON.stringify(record, null, 2));
}

export function removeMonitor(home: string, id: string): boolean {
  const file = fileOf(home, id);
  try {
    readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  rmSync(file);
  return true;
}
