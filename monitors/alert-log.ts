/**
 * Every alert and resolve notice sent, kept in each Monitor object's status.alerts (the last KEEP_ALERTS of each):
 * what the weekly report lists. A monitor that is removed takes its history with it.
 */
import type { StateClient } from '../cluster-state/ganglion-objects.js';
import { listMonitors, type AlertRecord } from './monitor-store.js';

/** The notices of every monitor sent at or after `since`, oldest first. */
export async function readAlerts(state: StateClient, since?: Date, signal?: AbortSignal): Promise<AlertRecord[]> {
  const from = since?.getTime() ?? 0;
  const all = (await listMonitors(state, signal)).flatMap((r) => r.alerts);
  return all.filter((a) => Date.parse(a.time) >= from).sort((a, b) => a.time.localeCompare(b.time));
}
