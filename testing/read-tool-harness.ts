/** Test harness for the read-only cluster tools: a kubeconfig for any server, and a function app to call like the gateway does. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFunctionApp } from '../host/function-app.js';
import { bearer, writeTestTokens } from './auth.js';
import { loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import type { FunctionModule } from '../function-kit/function-module.js';

export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
}

export interface ClusterEntry { name: string; server: string; token?: string }

/** Writes a kubeconfig with a context per cluster (plain HTTP, as kube-sim serves); the first is current. */
export function writeKubeconfigs(dir: string, clusters: ClusterEntry[]): string {
  const file = path.join(dir, `kubeconfig-${clusters.map((c) => c.name).join('-')}`);
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: ${clusters[0]?.name ?? ''}`, 'clusters:'];
  for (const c of clusters) lines.push(`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`, '    insecure-skip-tls-verify: true');
  lines.push('users:');
  for (const c of clusters) lines.push(`- name: ${c.name}`, '  user:', `    token: ${c.token ?? 'test-token'}`);
  lines.push('contexts:');
  for (const c of clusters) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Writes a kubeconfig with one context `name` for `server`. */
export function writeKubeconfig(dir: string, server: string, name = 'test-cluster'): string {
  return writeKubeconfigs(dir, [{ name, server }]);
}

export interface StepAnswer {
  status: number;
  type: string;
  data: { summary?: string; data?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } };
}

/** The function as the runtime serves it: JSON input in, the answer's status, event type and data out. */
export function callerFor(mod: FunctionModule, kubeconfig: string, context = '', env: Record<string, string> = {}) {
  // an admin token where the function reads ganglion-api-tokens: the call is authenticated as a person's would be
  const secretsDir = env.GANGLION_SECRETS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'g-read-secrets-'));
  const { admin } = writeTestTokens(secretsDir);
  const app = createFunctionApp(mod, {
    config: loadConfig({ KUBECONFIG: kubeconfig, GANGLION_KUBE_CONTEXT: context, GANGLION_SECRETS_DIR: secretsDir, ...env }),
    log: createLogger({ name: mod.meta.name, level: 'silent' }),
    kube: createKubeAccess({ kubeconfig, context }),
  });
  return async (input: unknown): Promise<StepAnswer> => {
    const res = await app({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/json', ...bearer(admin) }, body: Buffer.from(JSON.stringify(input)) });
    return { status: res.status, type: res.headers['ce-type'] ?? '', data: JSON.parse(String(res.body)) as StepAnswer['data'] };
  };
}
