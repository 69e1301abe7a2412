import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGateway } from '../../gateway/index.js';
import { startKubeSim } from '@ganglion/kube-sim';
import { plannerContract } from '../../testing/planner-contract.js';
import { FAST_TIMING, repoRoot } from '../../testing/scenario-stack.js';

plannerContract('the real planner on kube-sim', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing: FAST_TIMING });
  await sim.settle(2_000);
  const gw = await startGateway({
    stackFile: path.join(repoRoot, 'stack.yml'), mode: 'shared', home, port: 0, distRoot: path.join(repoRoot, 'dist'),
    env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'error' },
  });
  return { url: gw.url, stop: async () => { await gw.stop(); await sim.stop(); } };
}).run();
