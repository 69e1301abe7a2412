/** Test helper: a store seeded with a scenario, the controllers at test speed, and a way to wait for a condition. */
import { fileURLToPath } from 'node:url';
import { ObjectStore, type KubeObject } from '../../store.js';
import { loadScenario, seedScenario } from '../../scenario/load-scenario.js';
import { startControllers, type Controllers, type ControllerOptions } from '../index.js';
import { TEST_TIMING } from '../timing.js';

export async function testCluster(scenario: string | object = 'home-lab', opts: ControllerOptions = {}): Promise<{ store: ObjectStore; controllers: Controllers }> {
  const store = new ObjectStore();
  seedScenario(store, await loadScenario(scenario));
  const controllers = startControllers(store, { ...opts, timing: { ...TEST_TIMING, ...opts.timing } });
  return { store, controllers };
}

/** Polls until `check` returns a value (not undefined/false), or fails naming what it waited for. */
export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function podsOf(store: ObjectStore, namespace: string, app: string): KubeObject[] {
  return store.list('pods', { namespace, labelSelector: `app=${app}` }).items;
}

export function containerState(pod: KubeObject): { state: string; reason?: string; ready: boolean; restarts: number; last?: { reason?: string; exitCode?: number } } {
  const cs = ((pod.status as { containerStatuses?: Record<string, unknown>[] }).containerStatuses ?? [])[0] as
    { state?: Record<string, { reason?: string }>; ready?: boolean; restartCount?: number; lastState?: { terminated?: { reason?: string; exitCode?: number } } } | undefined;
  const [state, detail] = Object.entries(cs?.state ?? {})[0] ?? ['none', {}];
  return { state, ...(detail.reason ? { reason: detail.reason } : {}), ready: cs?.ready ?? false, restarts: cs?.restartCount ?? 0, ...(cs?.lastState?.terminated ? { last: cs.lastState.terminated } : {}) };
}

/** The fake worker (compiled beside this file) for `workerEntry`: the kubelet runs it for `ganglion-worker` images. */
export const FAKE_WORKER = fileURLToPath(new URL('./fake-worker.js', import.meta.url));
