/**
 * Bench: what keeping runs as Run objects costs. One multi-step run ("Scale the web tier to 5 replicas", approved by
 * the client's yes: three dry runs, three changes) on kube-sim, counting the Run object writes (create + PUT) and
 * timing each. The functions are the planner tests' fakes served by the real runtime; the state is kube-sim's.
 */
import { approvalKey } from '../host/approval-token.js';
import type { StateClient } from '../cluster-state/ganglion-objects.js';
import { createEmbeddedPlanner } from '../functions/planner/embedded-planner.js';
import { EMPTY_POLICY } from '../functions/planner/policy.js';
import { createRunEngine } from '../functions/planner/run-engine.js';
import { fakeCluster, fakeInvoker } from '../functions/planner/testing/fake-cluster.js';
import { runStoreOn, startEngineCluster } from '../testing/engine-cluster.js';

export interface RunStateCost { runs: number; steps: number; writes: number; msPerWrite: number }

/** A state client that times every write of a Run object. */
function timedWrites(state: StateClient, times: number[]): StateClient {
  const timed = async <T>(plural: string, work: () => Promise<T>) => {
    const t = performance.now();
    const out = await work();
    if (plural === 'runs') times.push(performance.now() - t);
    return out;
  };
  return { ...state, create: (p, o, s) => timed(p, () => state.create(p, o, s)), replace: (p, o, s) => timed(p, () => state.replace(p, o, s)) };
}

export async function measureRunState(runs = 10): Promise<RunStateCost> {
  const sc = await startEngineCluster();
  const times: number[] = [];
  try {
    const state = timedWrites(sc.state, times);
    const cluster = fakeCluster();
    const inv = fakeInvoker(cluster.modules, sc);
    const engine = createRunEngine({
      state, store: runStoreOn({ ...sc, state }), invoke: inv.invoke, gatewayUrl: 'http://gw.bench',
      planner: async () => createEmbeddedPlanner(), catalog: async () => cluster.catalog, facts: async () => cluster.facts(),
      policy: () => EMPTY_POLICY, approvalKey: () => approvalKey(inv.config), stepKey: inv.stepKey,
    });
    let steps = 0;
    for (let i = 0; i < runs; i++) {
      const { view } = await engine.start({ text: `Scale the web tier to ${i % 2 ? 5 : 4} replicas`, context: { yes: true } });
      if (view.status !== 'completed') throw new Error(`bench run ended ${view.status}: ${view.summary}`);
      steps += view.steps.length;
    }
    return { runs, steps, writes: times.length, msPerWrite: times.reduce((a, b) => a + b, 0) / times.length };
  } finally {
    await sc.stop();
  }
}
