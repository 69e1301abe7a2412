/** A fresh embedded stack for the scenario suite: kube-sim (home-lab) + gateway with every stack.yml function, and the CLI. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { createKubeAccess, type KubeClients } from '../cluster/kube-access.js';
import { startGateway, type Gateway } from '../gateway/index.js';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { runCli, type CliResult } from '../cli/testing/run-cli.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';
import type { GatewayMode } from '../kernel/config.js';

/** The repository root (this file runs from dist/test/scenarios/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Fast but ordered: pods pull, start and become ready in tens of milliseconds. */
export const FAST_TIMING = { tickMs: 5, pullMs: 20, podStartMs: 20, readyMs: 30, terminateMs: 20, progressSecondMs: 50 };

export interface ScenarioStack {
  home: string;
  gatewayUrl: string;
  kubeconfigPath: string;
  kube: KubeClients;
  /** `ganglion <argv>` against this stack, in-process; `answers` go to a stdin the CLI treats as a person's terminal. */
  cli(argv: string[], opts?: { answers?: string }): Promise<CliResult>;
  stop(): Promise<void>;
}

/** kube-sim's home lab and the gateway serving every stack.yml function against it, sharing one fresh GANGLION_HOME. */
export interface HomeLabGateway {
  home: string;
  sim: KubeSim;
  gw: Gateway;
  stop(): Promise<void>;
}

/**
 * stack.yml with only the named functions, written into `dir`: what `faas-cli deploy --filter` leaves on a gateway.
 * Handlers keep their paths, so the gateway finds each function's compiled code as before.
 */
export function writeReducedStack(dir: string, functions: string[]): string {
  const stack = parse(readFileSync(path.join(repoRoot, 'stack.yml'), 'utf8')) as { functions: Record<string, unknown> };
  const unknown = functions.filter((f) => !(f in stack.functions));
  if (unknown.length) throw new Error(`stack.yml has no function ${unknown.join(', ')}`);
  stack.functions = Object.fromEntries(Object.entries(stack.functions).filter(([name]) => functions.includes(name)));
  const file = path.join(dir, 'stack.yml');
  // Quoted, so "${OLLAMA_HOST:-}" stays a string once faas-cli-style substitution empties it.
  writeFileSync(file, stringify(stack, { aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE' }));
  return file;
}

export async function startHomeLabGateway({ timing = FAST_TIMING, settleMs = 2_000, env = {}, functions, mode = 'shared' }: {
  timing?: Record<string, number>; settleMs?: number; env?: Record<string, string>;
  /** Serve only these stack.yml functions (default: all of them); the planner still knows every stack.yml function. */
  functions?: string[];
  /** The gateway mode (default shared); 'isolated' is the production form, each function its own process, HOME and secrets. */
  mode?: GatewayMode;
} = {}): Promise<HomeLabGateway> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const sim = await startKubeSim({ scenario: 'home-lab', port: 0, home, timing });
  await sim.settle(settleMs);
  await installDefinitions(await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients(), env.GANGLION_STATE_NAMESPACE || 'ganglion');
  const gw = await startGateway({
    stackFile: functions ? writeReducedStack(home, functions) : path.join(repoRoot, 'stack.yml'),
    mode,
    home,
    port: 0,
    // as `npm start` does (gateway/main.ts): functions reach Services and pod IPs through kube-sim's cluster proxy
    env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'error', ...(sim.clusterProxy ? { GANGLION_CLUSTER_PROXY: sim.clusterProxy } : {}), ...env },
    distRoot: path.join(repoRoot, 'dist'),
  });
  return {
    home,
    sim,
    gw,
    async stop() {
      await gw.stop();
      await sim.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function startScenarioStack({ timing = FAST_TIMING, mode = 'shared' }: { timing?: Record<string, number>; mode?: GatewayMode } = {}): Promise<ScenarioStack> {
  // Let the demo cluster reach its steady state (crash loops, pending pods) before anyone asks about it:
  // ~3 s, as image-resizer is OOM-killed 3 scenario seconds after it starts.
  const { home, sim, gw: gateway, stop } = await startHomeLabGateway({ timing, settleMs: 8_000, mode });
  const kube = await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients();

  const cli = (argv: string[], { answers }: { answers?: string } = {}) =>
    runCli(['--gateway', gateway.url, ...argv], { env: { GANGLION_HOME: home }, stdoutIsTTY: false, pollMs: 50 }, answers);

  return { home, gatewayUrl: gateway.url, kubeconfigPath: sim.kubeconfigPath, kube, cli, stop };
}
