/** Every alert and resolve notice sent, as JSON lines in $GANGLION_HOME/monitors/alerts.log: what the weekly report lists. */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorsDir } from './monitor-store.js';

export interface AlertRecord {
  time: string;
  monitor: string;
  kind: 'alert' | 'resolve';
  subject: string;
  namespace?: string;
  detail: string;
  /** Channels it reached. */
  delivered: string[];
}

const fileOf = (home: string) => path.join(monitorsDir(home), 'alerts.log');

export function appendAlert(home: string, rec: AlertRecord): void {
  mkdirSync(monitorsDir(home), { recursive: true });
  appendFileSync(fileOf(home), JSON.stringify(rec) + '\n');
}

/** Records at or after `since`, oldest first; a torn last line (crash mid-append) is skipped. */
export function readAlerts(home: string, since?: Date): AlertRecord[] {
  const file = fileOf(home);
  if (!existsSync(file)) return [];
  const from = since?.getTime() ?? 0;
  const out: AlertRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let rec: AlertRecord;
    try {
      rec = JSON.parse(line) as AlertRecord;
    } catch {
      continue; // a torn line from a crash mid-append
    }
    if (Date.parse(rec.time) >= from) out.push(rec);
  }
  return out;
}
