/** Test support: the kube-sim a planner engine under test keeps its runs and approvals in, and a run store on it. */
import { startStateCluster, type StateCluster } from './state-cluster.js';
import { createRunStore, type RunStore, type RunStoreOptions } from '../functions/planner/run-store.js';

/** A kube-sim with Ganglion's definitions, signing with fakeInvoker's key. Stop it when the file's tests are done. */
export const startEngineCluster = (): Promise<StateCluster> => startStateCluster({ env: { GANGLION_APPROVAL_KEY: 'test-key' } });

/** A run store as the planner builds one (handler.ts): outputs trimmed at config.state.stepOutputBytes, stale after 2× exec timeout. */
export function runStoreOn(sc: StateCluster, opts: Partial<RunStoreOptions> = {}): RunStore {
  return createRunStore({ state: sc.state, stepOutputBytes: sc.config.state.stepOutputBytes, staleMs: 2 * sc.config.execTimeoutMs, ...opts });
}
