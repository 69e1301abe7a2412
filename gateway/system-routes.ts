/** The /system/* API faas-cli and cron-connector use: list, describe, deploy, update, remove, scale, info, namespaces. */
import * as z from 'zod';
import { formatIssues } from '../kernel/zod-issues.js';
import type { FnResponse } from '../function-kit/function-module.js';
import type { FunctionBackend } from './function-backend.js';
import { compiledFolder, execTimeoutOf, hasCompiledHandler, NAMESPACE, type DeployedFunction } from './function-table.js';
import { functionStatus } from './function-status.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { emptyReply, jsonReply, parseJsonBody, textReply } from './reply.js';

export interface SystemDeps {
  table: Map<string, DeployedFunction>;
  backend: FunctionBackend;
  metrics: GatewayMetrics;
  distRoot: string;
  version: string;
  now?: () => Date;
}

export interface SystemRequest {
  method: string;
  /** Path after /system, e.g. '/functions'. */
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

// Go's faas-cli may send null for unset pointers: null is read as absent.
// faas-cli (Go) may send null for unset fields: null reads as absent.
const resources = z.object({ memory: z.string().optional(), cpu: z.string().optional() }).optional();
const deployment = z.object({
  service: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label (lowercase letters, digits and -)'),
  image: z.string().min(1),
  namespace: z.string().nullish(),
  envProcess: z.string().nullish(),
  envVars: z.record(z.string(), z.string()).nullish(),
  constraints: z.array(z.string()).nullish(),
  secrets: z.array(z.string()).nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  limits: resources.nullable(),
  requests: resources.nullable(),
  readOnlyRootFilesystem: z.boolean().nullish(),
});
const removal = z.object({ functionName: z.string().min(1), namespace: z.string().optional() });
const scaling = z.object({ serviceName: z.string().optional(), replicas: z.number().int(), namespace: z.string().optional() });

const wrongNamespace = (ns: string) => textReply(400, `namespace must be: ${NAMESPACE} (got "${ns}"); this gateway serves one namespace`);
const issues = (e: z.ZodError) => formatIssues(e, { root: '(body)' });

export function createSystemRoutes({ table, backend, metrics, distRoot, version, now = () => new Date() }: SystemDeps) {
  // Functions removed and deployed again keep the code folder stack.yml gave them.
  const knownFolders = new Map([...table.values()].map((fn) => [fn.name, fn.folder]));
  const statusOf = (fn: DeployedFunction, withCount: boolean) =>
    functionStatus(fn, backend.available(fn.name), withCount ? metrics.invocations(`${fn.name}.${NAMESPACE}`) : undefined);

  async function deploy(body: Buffer, update: boolean): Promise<FnResponse> {
    const json = parseJsonBody(body);
    if (!json.ok) return json.reply;
    const parsed = deployment.safeParse(json.value);
    if (!parsed.success) return textReply(400, `invalid FunctionDeployment: ${issues(parsed.error)}`);
    const d = parsed.data;
    if (d.namespace && d.namespace !== NAMESPACE) return wrongNamespace(d.namespace);
    const existing = table.get(d.service);
    if (update && !existing) return textReply(404, `function ${d.service} not found; deploy it with POST /system/functions`);
    const folder = existing?.folder ?? knownFolders.get(d.service) ?? compiledFolder(distRoot, `functions/${d.service}`);
    if (!hasCompiledHandler(folder)) {
      return textReply(400, `no code for function ${d.service}: this gateway runs functions from ${folder} (it cannot pull images); add functions/${d.service} and run npm run build`);
    }
    const envVars = d.envVars ?? {};
    let execTimeoutMs: number;
    try {
      execTimeoutMs = execTimeoutOf(envVars, d.service);
    } catch (err) {
      return textReply(400, (err as Error).message);
    }
    const fn: DeployedFunction = {
      name: d.service, folder, image: d.image, envVars, labels: d.labels ?? {}, annotations: d.annotations ?? {},
      secrets: d.secrets ?? [], constraints: d.constraints ?? [],
      ...(d.limits ? { limits: d.limits } : {}), ...(d.requests ? { requests: d.requests } : {}),
      ...(typeof d.readOnlyRootFilesystem === 'boolean' ? { readOnlyRootFilesystem: d.readOnlyRootFilesystem } : {}),
      execTimeoutMs, createdAt: existing?.createdAt ?? now().toISOString(), replicas: existing?.replicas ?? 1,
    };
    table.set(fn.name, fn);
    await backend.start(fn);
    return emptyReply(202);
  }

  return async function system(req: SystemRequest): Promise<FnResponse> {
    const ns = req.query.get('namespace');
    if (req.path === '/functions') {
      if (req.method === 'GET') {
        if (ns && ns !== NAMESPACE) return wrongNamespace(ns);
        return jsonReply(200, [...table.values()].map((fn) => statusOf(fn, true)));
      }
      if (req.method === 'POST') return deploy(req.body, false);
      if (req.method === 'PUT') return deploy(req.body, true);
      if (req.method === 'DELETE') {
        const json = parseJsonBody(req.body);
        if (!json.ok) return json.reply;
        const parsed = removal.safeParse(json.value);
        if (!parsed.success) return textReply(400, `invalid DeleteFunctionRequest: ${issues(parsed.error)}`);
        if (parsed.data.namespace && parsed.data.namespace !== NAMESPACE) return wrongNamespace(parsed.data.namespace);
        if (!table.has(parsed.data.functionName)) return textReply(404, `function ${parsed.data.functionName} not found`);
        table.delete(parsed.data.functionName);
        await backend.stop(parsed.data.functionName);
        return emptyReply(202);
      }
      return textReply(405, `${req.method} is not allowed on /system/functions; use GET, POST, PUT or DELETE`);
    }
    const describe = /^\/function\/([-a-zA-Z_0-9.]+)$/.exec(req.path);
    if (describe && req.method === 'GET') {
      if (ns && ns !== NAMESPACE) return wrongNamespace(ns);
      const fn = table.get(describe[1] as string);
      return fn ? jsonReply(200, statusOf(fn, true)) : textReply(404, `function ${describe[1]} not found`);
    }
    const scale = /^\/scale-function\/([-a-zA-Z_0-9.]+)$/.exec(req.path);
    if (scale && req.method === 'POST') {
      const fn = table.get(scale[1] as string);
      if (!fn) return textReply(404, `function ${scale[1]} not found`);
      const json = parseJsonBody(req.body);
      if (!json.ok) return json.reply;
      const parsed = scaling.safeParse(json.value);
      if (!parsed.success) return textReply(400, `invalid ScaleServiceRequest: ${issues(parsed.error)}`);
      if (parsed.data.replicas < 1) return textReply(400, `replicas must be at least 1: this gateway keeps every function warm (no scale to zero)`);
      // As the OpenFaaS gateway, clamp to 1–5; the embedded gateway records it and keeps one instance running.
      table.set(fn.name, { ...fn, replicas: Math.min(5, parsed.data.replicas) });
      return emptyReply(202);
    }
    if (req.path === '/info' && req.method === 'GET') {
      return jsonReply(200, {
        provider: { provider: 'ganglion-gateway', orchestration: backend.mode === 'shared' ? 'in-process' : backend.mode, version: { sha: '', release: version } },
        version: { commit_message: '', sha: '', release: version },
        arch: process.arch,
      });
    }
    if (req.path === '/namespaces' && req.method === 'GET') return jsonReply(200, [NAMESPACE]);
    return textReply(404, `no such system endpoint: ${req.method} /system${req.path}`);
  };
}
