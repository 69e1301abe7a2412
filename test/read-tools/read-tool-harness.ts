/** Test harness for the read-only cluster tools: a kubeconfig for any server, and a function app to call like the gateway does. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFunctionApp } from '../../runtime/function-app.js';
import { loadConfig } from '../../runtime/config.js';
import { createLogger } from '../../runtime/logger.js';
import { createKubeAccess } from '../../cluster/kube-access.js';
import type { FunctionModule } from '../../runtime/function-module.js';

export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'g-'));
}

/** Writes a kubeconfig with one context `name` for `server` (plain HTTP, as kube-sim serves). */
export function writeKubeconfig(dir: string, server: string, name = 'test-cluster'): string {
  const file = path.join(dir, `kubeconfig-${name}`);
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', `current-context: ${name}`,
    'clusters:', `- name: ${name}`, '  cluster:', `    server: ${server}`, '    insecure-skip-tls-verify: true',
    'users:', `- name: ${name}`, '  user:', '    token: test-token',
    'contexts:', `- name: ${name}`, '  context:', `    cluster: ${name}`, `    user: ${name}`,
  ].join('\n') + '\n');
  return file;
}

export interface StepAnswer {
  status: number;
  type: string;
  data: { summary?: string; data?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } };
}

/** The function as the runtime serves it: JSON input in, the answer's status, event type and data out. */
export function callerFor(mod: FunctionModule, kubeconfig: string, context = '') {
  const app = createFunctionApp(mod, {
    config: loadConfig({ KUBECONFIG: kubeconfig, GANGLION_KUBE_CONTEXT: context }),
    log: createLogger({ name: mod.meta.name, level: 'silent' }),
    kube: createKubeAccess({ kubeconfig, context }),
  });
  return async (input: unknown): Promise<StepAnswer> => {
    const res = await app({ method: 'POST', path: '/', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(input)) });
    return { status: res.status, type: res.headers['ce-type'] ?? '', data: JSON.parse(String(res.body)) as StepAnswer['data'] };
  };
}
