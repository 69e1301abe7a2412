/**
 * Test harness for the mutating tools: a fresh kube-sim (home-lab, fast timing, Ganglion's definitions installed), the
 * function served as the runtime serves it, approvals made the way the planner makes them (signature + Approval
 * object), and cluster state read back with client-node and kubectl.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { startKubeSim, writeKubeconfig, type KubeSim } from '@ganglion/kube-sim';
import { createFunctionApp } from '../host/function-app.js';
import { stepKey } from '../host/step-key.js';
import { stepSigHeader } from './auth.js';
import { loadConfig, type RuntimeConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { approvalKey, recordApproval, signApproval } from '../host/approval-token.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';
import { stateClient, type StateClient } from '../cluster-state/ganglion-objects.js';
import type { FunctionModule } from '../function-kit/function-module.js';

const run = promisify(execFile);

/** Pods pull, start and turn Ready within tens of milliseconds; a broken rollout fails within a second or two. */
export const FAST_TIMING = { tickMs: 5, pullMs: 20, podStartMs: 20, readyMs: 30, crashBackoffMs: 150, maxBackoffMs: 600, terminateMs: 30, secondMs: 50, progressSecondMs: 5 };

export interface StepAnswer {
  status: number;
  type: string;
  data: { summary?: string; data?: Record<string, unknown>; error?: { code: string; message: string; details?: Record<string, unknown> } };
}

export interface Harness {
  sim: KubeSim;
  config: RuntimeConfig;
  apps: AppsV1Api;
  core: CoreV1Api;
  /** Ganglion's objects on the sim (the Approval objects the calls spend). */
  state: StateClient;
  /**
   * Calls the function; `approve` signs the parsed input for this run and step and records its Approval object, as the
   * planner's approval gate does (`expiresAt` defaults to an hour on). A `token` is sent as given, recording nothing.
   */
  call(input: Record<string, unknown>, opts?: CallOptions): Promise<StepAnswer>;
  /** The same for another function on the same cluster (e.g. deploy before a rollback). */
  callAs(mod: FunctionModule, input: Record<string, unknown>, opts?: CallOptions): Promise<StepAnswer>;
  /** Real kubectl against the sim. */
  kubectl(...args: string[]): Promise<string>;
  image(namespace: string, name: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface CallOptions {
  approve?: boolean; token?: string; stepId?: string; expiresAt?: Date;
  /** the event's ce-id (default `<runId>-<stepId>`): two calls under one id look like a retry to the function */
  id?: string;
}

let step = 0;

export interface HarnessOptions {
  execTimeout?: string;
  /** Puts something in front of the sim's API (e.g. testing/faulty-api-front.ts): given its URL, returns the URL the functions and clients use. */
  apiFront?: (simUrl: string) => Promise<string>;
}

export async function startHarness(mod: FunctionModule, { execTimeout = '20s', apiFront }: HarnessOptions = {}): Promise<Harness> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
  const sim = await startKubeSim({ home, port: 0, timing: FAST_TIMING });
  const kubeconfig = apiFront ? writeKubeconfig(fs.mkdtempSync(path.join(home, 'front-')), await apiFront(sim.url), sim.token) : sim.kubeconfigPath;
  // the key the planner and the mutating functions share, as the secret ganglion-approval-key gives it to both
  const config = loadConfig({ GANGLION_HOME: home, KUBECONFIG: kubeconfig, exec_timeout: execTimeout, GANGLION_APPROVAL_KEY: 'test-approval-key', GANGLION_SECRETS_DIR: path.join(home, 'secrets') });
  const kube = createKubeAccess({ kubeconfig });
  await installDefinitions(await kube.clients(), config.state.namespace);
  const state = stateClient(kube, config);
  const log = createLogger({ name: 'test', level: 'silent' });
  const served = new Map<FunctionModule, ReturnType<typeof createFunctionApp>>();
  const appFor = (m: FunctionModule) => {
    let app = served.get(m);
    if (!app) served.set(m, (app = createFunctionApp(m, { config, log, kube })));
    return app;
  };
  async function callAs(m: FunctionModule, input: Record<string, unknown>, { approve = false, token, stepId = `s${++step}`, expiresAt, id }: CallOptions = {}): Promise<StepAnswer> {
    const runId = `run-${process.pid}`;
    // The approval covers the input as the function parses it (defaults included); invalid input is sent as is.
    const checked = m.meta.input.safeParse(input);
    const parsed: unknown = checked.success ? checked.data : input;
    const approval = token ?? (approve ? signApproval(approvalKey(config), { runId, stepId, fn: m.meta.name, input: parsed }) : undefined);
    if (approve && !token && approval) {
      await recordApproval(state, approval, { runId, stepId, function: m.meta.name, approvedBy: 'person', expiresAt: (expiresAt ?? new Date(Date.now() + 3_600_000)).toISOString() });
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id ?? `${runId}-${stepId}`, 'ce-source': '/ganglion/planner',
      'ce-type': 'dev.ganglion.step.requested', 'ce-runid': runId, 'ce-stepid': stepId, ...(approval ? { 'ce-approval': approval } : {}),
      // signed as the planner signs every step call
      ...stepSigHeader(stepKey(config), { id: id ?? `${runId}-${stepId}`, fn: m.meta.name, input, runId, stepId }),
    };
    const res = await appFor(m)({ method: 'POST', path: '/', query: new URLSearchParams(), headers, body: Buffer.from(JSON.stringify(input)) });
    return { status: res.status, type: res.headers['ce-type'] ?? '', data: JSON.parse(String(res.body)) as StepAnswer['data'] };
  }
  const { apps, core } = await kube.clients();
  return {
    sim, config, apps, core, state, callAs,
    call: (input, opts) => callAs(mod, input, opts),
    async kubectl(...args) {
      const { stdout } = await run('kubectl', ['--kubeconfig', sim.kubeconfigPath, ...args], { timeout: 30_000 });
      return stdout;
    },
    async image(namespace, name) {
      const d = await apps.readNamespacedDeployment({ namespace, name });
      return d.spec?.template.spec?.containers[0]?.image;
    },
    async stop() {
      await sim.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Ready, not terminating pods whose template runs `image`. */
export async function readyPodsWithImage(h: Harness, namespace: string, labelSelector: string, image: string): Promise<number> {
  const pods = await h.core.listNamespacedPod({ namespace, labelSelector });
  return pods.items.filter((p) => !p.metadata?.deletionTimestamp && p.spec?.containers[0]?.image === image && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
}
