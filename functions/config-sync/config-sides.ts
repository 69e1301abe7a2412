/** Where config-sync reads and writes: a side is a cluster (kubeconfig context), an env label, or one namespace. */
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { FunctionContext } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import type { KubeClients } from '../../cluster/kube-access.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import type { ConfigObject } from './config-diff.js';

export interface Side { name: string; how: 'cluster' | 'env' | 'namespace'; clients: KubeClients; namespaces: string[] }

/** Objects a cluster makes for itself in every namespace: never synced. */
const SKIP_NAMES = new Set(['kube-root-ca.crt', 'istio-ca-root-cert']);
const SYSTEM_NS = /^(kube-system|kube-public|kube-node-lease|openfaas|openfaas-fn)$/;

export async function resolveSide(ctx: FunctionContext, name: string, cluster: string | undefined): Promise<Side> {
  const contexts = await ctx.kube.contexts();
  const byContext = contexts.includes(name);
  const c = await ctx.kube.clients(byContext ? name : cluster);
  const list = await kubeCall(`list namespaces of ${c.context}`, () => c.core.listNamespace(), { server: c.server });
  const all = list.items.map((n) => ({ name: n.metadata?.name ?? '', env: n.metadata?.labels?.env }));
  if (byContext) return { name, how: 'cluster', clients: c, namespaces: all.map((n) => n.name).filter((n) => n && !SYSTEM_NS.test(n)) };
  const env = all.filter((n) => n.env === name).map((n) => n.name);
  if (env.length) return { name, how: 'env', clients: c, namespaces: env.sort() };
  if (all.some((n) => n.name === name)) return { name, how: 'namespace', clients: c, namespaces: [name] };
  const envs = [...new Set(all.map((n) => n.env).filter(Boolean))];
  throw new GanglionError(404, 'config_side_not_found', `"${name}" is neither a kubeconfig context (${contexts.join(', ')}), nor an env label on a namespace of ${c.context} (env=${envs.join(', env=') || '(none)'}), nor a namespace there; name one of those`);
}

export interface SideObjects { objects: ConfigObject[]; raw: Map<string, V1ConfigMap | V1Secret> }

/** A named Secret of one namespace, or undefined when there is none (get on a name: config-sync never lists Secrets). */
async function readSecret(side: Side, namespace: string, name: string): Promise<V1Secret | undefined> {
  const c = side.clients;
  try {
    return await kubeCall(`read secret ${c.context}/${namespace}/${name}`, () => c.core.readNamespacedSecret({ namespace, name }), { server: c.server });
  } catch (err) {
    if (err instanceof GanglionError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * The ConfigMaps of a side's namespaces, and the Secrets named in `secretNames` where they exist. Only Opaque Secrets
 * are synced: a named Secret of another type (a TLS pair, a service-account token) is refused rather than skipped.
 */
export async function readSide(side: Side, secretNames: string[]): Promise<SideObjects> {
  const c = side.clients;
  const objects: ConfigObject[] = [];
  const raw = new Map<string, V1ConfigMap | V1Secret>();
  await Promise.all(side.namespaces.map(async (namespace) => {
    const cms = await kubeCall(`list configmaps in ${c.context}/${namespace}`, () => c.core.listNamespacedConfigMap({ namespace }), { server: c.server });
    for (const cm of cms.items) {
      const name = cm.metadata?.name ?? '';
      if (SKIP_NAMES.has(name)) continue;
      objects.push({ kind: 'configmap', namespace, name, data: { ...(cm.data ?? {}) } });
      raw.set(`configmap/${namespace}/${name}`, cm);
    }
    for (const name of secretNames) {
      const s = await readSecret(side, namespace, name);
      if (!s) continue;
      if ((s.type ?? 'Opaque') !== 'Opaque') {
        throw new GanglionError(422, 'secret_not_opaque', `secret ${namespace}/${name} in ${c.context} is of type ${s.type}; config-sync copies only Opaque Secrets, so leave it out of "secrets"`);
      }
      objects.push({ kind: 'secret', namespace, name, data: { ...(s.data ?? {}) } });
      raw.set(`secret/${namespace}/${name}`, s);
    }
  }));
  return { objects, raw };
}

/** Source namespace → target namespace: the same name when the target has it, else the target's only namespace. */
export function namespaceMapper(from: Side, to: Side): (ns: string) => string | undefined {
  return (ns) => (to.namespaces.includes(ns) ? ns : to.namespaces.length === 1 && from.how !== 'cluster' ? to.namespaces[0] : undefined);
}
