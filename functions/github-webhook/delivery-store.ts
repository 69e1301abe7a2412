/** What happened to each webhook delivery (by X-GitHub-Delivery), under $GANGLION_HOME/webhooks/: a redelivery is not run twice, and a person can read the outcome. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../kernel/atomic-write.js';

export type StageName = 'tests' | 'deploy' | 'verify';
export interface Stage {
  name: StageName;
  status: 'running' | 'passed' | 'failed' | 'skipped' | 'awaiting-approval';
  summary: string;
}

export interface DeliveryRecord {
  delivery: string;
  repository: string;
  branch: string;
  commit: string;
  deployment?: { name: string; namespace: string };
  tag?: string;
  status: 'running' | 'succeeded' | 'failed' | 'awaiting-approval';
  stages: Stage[];
  summary: string;
  runId?: string;
  receivedAt: string;
  finishedAt?: string;
}

const dir = (home: string) => path.join(home, 'webhooks');
const fileOf = (home: string, id: string) => path.join(dir(home), `${id.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 100)}.json`);

export function readDelivery(home: string, id: string): DeliveryRecord | undefined {
  try {
    return JSON.parse(readFileSync(fileOf(home, id), 'utf8')) as DeliveryRecord;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function saveDelivery(home: string, rec: DeliveryRecord): void {
  writeFileAtomic(fileOf(home, rec.delivery), JSON.stringify(rec, null, 2), { mode: 0o600 });
}
