/**
 * Test support for the hostile-input suite (test/hostile/): one kube-sim and gateway per file, a raw HTTP client that
 * sends exactly the bytes a case names, and the checks every group ends with — Deployments unchanged (generation,
 * replicas, images), no run started, the gateway still serving.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubeSim, type KubeSim } from '@ganglion/kube-sim';
import { createKubeAccess, type KubeClients } from '../cluster/kube-access.js';
import { stateClient, type StateClient } from '../cluster-state/ganglion-objects.js';
import { installDefinitions } from '../cluster-state/install-definitions.js';
import { startGateway, type Gateway } from '../gateway/index.js';
import { loadConfig } from '../kernel/config.js';
import { bearer } from './auth.js';
import { FAST_TIMING, repoRoot, writeReducedStack } from './scenario-stack.js';

export interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }
export type Send = (method: string, target: string, headers?: Record<string, string>, body?: string | Buffer) => Promise<Answer>;

export interface HostileStack {
  sim: KubeSim;
  gw: Gateway;
  kube: KubeClients;
  state: StateClient;
  /** Raw HTTP to the gateway, with the admin's bearer token unless the case sets `authorization` (or '' for none). */
  send: Send;
  /** The first gateway's secret store (<home>/secrets): what its functions read, e.g. ganglion-api-tokens. */
  secretsDir: string;
  /** A further gateway (another planner process) on the same cluster, sharing the approval key. */
  addGateway(env?: Record<string, string>): Promise<{ gw: Gateway; send: Send }>;
  /** One line per Deployment: namespace/name generation replicas images, sorted. */
  deployments(): Promise<string[]>;
  /** Names of the Run objects in the state namespace, sorted. */
  runs(): Promise<string[]>;
  stop(): Promise<void>;
}

/** The same approval key for every gateway of a stack, so two planner processes check each other's approvals. */
const APPROVAL_KEY = 'hostile-suite-approval-key-0123456789abcdef';

export function rawSender(url: string, token: string): Send {
  const { hostname, port } = new URL(url);
  return (method, target, headers = {}, body = '') => new Promise((resolve, reject) => {
    const auth = headers.authorization === undefined ? bearer(token) : {};
    const all: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)), ...auth, ...headers };
    if (all.authorization === '') delete all.authorization;
    const req = http.request({ host: hostname, port: Number(port), method, path: target, agent: false, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function startHostileStack({ scenario = 'home-lab', env = {}, functions }: {
  /** A kube-sim scenario: name, YAML path or parsed object (default the home lab). */
  scenario?: string | object;
  env?: Record<string, string>;
  /** Serve only these stack.yml functions (default all). */
  functions?: string[];
} = {}): Promise<HostileStack> {
  const homes: string[] = [];
  const newHome = () => { const h = mkdtempSync(path.join(os.tmpdir(), 'g-')); homes.push(h); return h; };
  const simHome = newHome();
  const sim = await startKubeSim({ scenario, port: 0, home: simHome, timing: FAST_TIMING });
  await sim.settle(2_000);
  const access = createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context });
  const kube = await access.clients();
  await installDefinitions(kube, 'ganglion');
  const state = stateClient(access, loadConfig({ GANGLION_STATE_NAMESPACE: 'ganglion' }));
  const gateways: Gateway[] = [];

  async function addGateway(extra: Record<string, string> = {}) {
    const home = newHome();
    const gw = await startGateway({
      stackFile: functions ? writeReducedStack(home, functions) : path.join(repoRoot, 'stack.yml'),
      home, port: 0, distRoot: path.join(repoRoot, 'dist'),
      env: { KUBECONFIG: sim.kubeconfigPath, GANGLION_KUBE_CONTEXT: sim.context, LOG_LEVEL: 'silent', GANGLION_APPROVAL_KEY: APPROVAL_KEY, ...env, ...extra },
    });
    gateways.push(gw);
    return { gw, home, send: rawSender(gw.url, gw.adminToken) };
  }
  const first = await addGateway();

  return {
    sim, gw: first.gw, kube, state, send: first.send, addGateway, secretsDir: path.join(first.home, 'secrets'),
    async deployments() {
      const list = await kube.apps.listDeploymentForAllNamespaces();
      return list.items.map((d) => {
        const images = (d.spec?.template.spec?.containers ?? []).map((c) => c.image).join(',');
        return `${d.metadata?.namespace}/${d.metadata?.name} generation=${d.metadata?.generation} replicas=${d.spec?.replicas} images=${images}`;
      }).sort();
    },
    async runs() {
      return (await state.listAll('runs')).map((r) => r.metadata.name).sort();
    },
    async stop() {
      for (const gw of gateways) await gw.stop();
      await sim.stop();
      for (const h of homes) rmSync(h, { recursive: true, force: true });
    },
  };
}
