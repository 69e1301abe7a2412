/** The home-lab kube-sim as the read-tool tests use it: fast timing, long back-offs (so states hold still), and a wait for its faults. */
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { callerFor, tempHome, type StepAnswer } from './read-tool-harness.js';
import * as failingPods from '../functions/failing-pods/handler.js';

/** Containers start in tens of ms; a crash back-off of a minute keeps CrashLoopBackOff and restart counts still while tests look. */
export const TEST_TIMING = { tickMs: 5, pullMs: 10, podStartMs: 10, readyMs: 20, secondMs: 20, crashBackoffMs: 60_000, maxBackoffMs: 60_000 };

/** The faults home-lab.yaml sets up: workload → the reason failing-pods must give. */
export const HOME_LAB_FAULTS: Record<string, string> = {
  'apps/api-server': 'CrashLoopBackOff',
  'apps/image-resizer': 'OOMKilled',
  'apps/notifier': 'ImagePullBackOff',
  'data/batch-analytics': 'Pending',
  'monitoring/grafana': 'NotReady',
  'monitoring/log-shipper-5d8f7': 'Evicted',
};

export interface FailingRow { namespace: string; pod: string; owner?: string; reason: string; detail: string; restarts: number; lastExit?: { reason: string; exitCode: number }; image?: string; message?: string; status: string }

/** Polls `probe` until it returns a value (a condition, not a timer), failing with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const workloadOf = (f: FailingRow) => `${f.namespace}/${f.owner?.split('/')[1] ?? f.pod}`;

/** Starts home-lab and waits until every scripted fault shows (ImagePullBackOff settled, crash loops backing off). */
export async function startHomeLab(): Promise<{ sim: KubeSim; home: string; kubeconfig: string; failing: FailingRow[] }> {
  const home = tempHome();
  const sim = await startKubeSim({ port: 0, home, timing: TEST_TIMING });
  const call = callerFor(failingPods, sim.kubeconfigPath);
  const failing = await waitFor('the home-lab faults', async () => {
    const res: StepAnswer = await call({});
    const rows = ((res.data.data as { failing?: FailingRow[] } | undefined)?.failing ?? []);
    const seen = Object.fromEntries(rows.map((f) => [workloadOf(f), f.reason]));
    return Object.entries(HOME_LAB_FAULTS).every(([w, r]) => seen[w] === r) && rows.length === Object.keys(HOME_LAB_FAULTS).length ? rows : undefined;
  });
  return { sim, home, kubeconfig: sim.kubeconfigPath, failing };
}
