/**
 * The embedded stack's install step: what `kubectl apply -f k8s/` does for Ganglion's state on a real cluster — the
 * state namespace and the ganglion.dev CustomResourceDefinitions — done over the API on kube-sim. Idempotent: a
 * definition that exists is replaced with the shipped one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeClients } from '../cluster/kube-access.js';
import { KubeHttpError, requestText } from '../cluster/get-json.js';
import { API_VERSION, unservedKinds } from './ganglion-objects.js';

/** k8s/05-crds.yaml beside the compiled tree (dist/cluster-state → ../../k8s). */
export const DEFINITIONS_FILE = fileURLToPath(new URL('../../k8s/05-crds.yaml', import.meta.url));

interface Crd { metadata: { name: string; resourceVersion?: string } }

async function createOrReplace(c: KubeClients, collection: string, obj: Crd): Promise<void> {
  try {
    await requestText(c, 'POST', collection, { body: obj });
  } catch (err) {
    if (!(err instanceof KubeHttpError) || err.code !== 409) throw err;
    const current = JSON.parse(await requestText(c, 'GET', `${collection}/${obj.metadata.name}`)) as Crd;
    await requestText(c, 'PUT', `${collection}/${obj.metadata.name}`, { body: { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } } });
  }
}

/** Creates the namespace and applies every definition in `file`, then waits (≤ 10 s) until discovery serves them all. */
export async function installDefinitions(c: KubeClients, namespace: string, file = DEFINITIONS_FILE): Promise<void> {
  try {
    await requestText(c, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'ganglion' } } } });
  } catch (err) {
    if (!(err instanceof KubeHttpError) || err.code !== 409) throw err;
  }
  const crds = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Crd | null).filter((d): d is Crd => d !== null);
  for (const crd of crds) await createOrReplace(c, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  const until = Date.now() + 10_000;
  for (;;) {
    const missing = await unservedKinds(c);
    if (missing !== 'group' && missing.length === 0) return;
    if (Date.now() > until) throw new Error(`the API server at ${c.server} does not serve ${API_VERSION} 10 s after its definitions were applied`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
