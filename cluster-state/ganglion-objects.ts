/**
 * Ganglion's own state as Kubernetes objects: the ganglion.dev custom resources (k8s/05-crds.yaml) in the state
 * namespace, read and written over the API server's wire JSON with the kubeconfig's credentials. Every function pod
 * and every replica sees one copy; writes carry their resourceVersion, so two writers of one object never both win.
 */
import type { KubeAccess, KubeClients } from '../cluster/kube-access.js';
import { KubeHttpError, requestText } from '../cluster/get-json.js';
import type { RuntimeConfig } from '../kernel/config.js';
import { GanglionError, isAbortError } from '../kernel/errors.js';

export const GROUP = 'ganglion.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** Each kind Ganglion keeps, by its plural (the URL segment `kubectl get` takes). */
export const KINDS = {
  runs: 'Run',
  approvals: 'Approval',
  auditrecords: 'AuditRecord',
  monitors: 'Monitor',
  pushpipelines: 'PushPipeline',
  webhookdeliveries: 'WebhookDelivery',
  approvalpolicies: 'ApprovalPolicy',
  logbaselines: 'LogBaseline',
} as const;
export type Plural = keyof typeof KINDS;

/** What to run when the definitions are missing, in every message that says so. */
export const INSTALL_HINT = 'kubectl apply -f k8s/';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  resourceVersion?: string;
  uid?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface GanglionObject<Spec = Record<string, unknown>, Status = Record<string, unknown>> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

export interface ListPage<O> {
  items: O[];
  /** The continue token of the next page; absent on the last. */
  continue?: string;
}

export interface ListOptions {
  labelSelector?: string;
  /** Page size (the API server's limit); absent = everything in one answer. */
  limit?: number;
  continue?: string;
}

/**
 * Ganglion's objects in the state namespace. Every call names its kind as a literal first argument
 * (`state.get('runs', id)`), so the RBAC check (testing/api-calls.ts) reads the verbs a function uses off its source.
 */
export interface StateClient {
  readonly namespace: string;
  /** The object, or undefined when there is none. */
  get<O extends GanglionObject>(plural: Plural, name: string, signal?: AbortSignal): Promise<O | undefined>;
  list<O extends GanglionObject>(plural: Plural, opts?: ListOptions, signal?: AbortSignal): Promise<ListPage<O>>;
  /** Every object, read page by page (500 at a time). */
  listAll<O extends GanglionObject>(plural: Plural, opts?: Omit<ListOptions, 'limit' | 'continue'>, signal?: AbortSignal): Promise<O[]>;
  /** Creates it; a name that exists fails 409 `already_exists`. */
  create<O extends GanglionObject>(plural: Plural, obj: Omit<O, 'apiVersion' | 'kind'>, signal?: AbortSignal): Promise<O>;
  /** Replaces it as of its metadata.resourceVersion; somebody else's write since fails 409 `conflict`. */
  replace<O extends GanglionObject>(plural: Plural, obj: O, signal?: AbortSignal): Promise<O>;
  /** Deletes it; false when there was none. */
  delete(plural: Plural, name: string, signal?: AbortSignal): Promise<boolean>;
  /** Fails with `crds_missing` (naming `kubectl apply -f k8s/`) unless the API server serves every ganglion.dev kind. */
  check(signal?: AbortSignal): Promise<void>;
}

interface StatusBody { message?: string; reason?: string; details?: { name?: string } }

function statusOf(body: string): StatusBody {
  try {
    return JSON.parse(body) as StatusBody;
  } catch {
    return { message: body.trim().slice(0, 300) };
  }
}

function missingCrds(server: string, what: string): GanglionError {
  return new GanglionError(503, 'crds_missing', `${server} does not serve ${what} (group ${GROUP}): the Ganglion custom resource definitions are not installed; run ${INSTALL_HINT}`);
}

/** An API failure as a GanglionError a person can act on; a 404 without an object name means the kind is not served. */
function explain(err: unknown, what: string, server: string, plural: Plural): unknown {
  if (isAbortError(err) || err instanceof GanglionError) return err;
  if (err instanceof KubeHttpError) {
    const status = statusOf(err.body);
    const message = status.message || `HTTP ${err.code}`;
    if (err.code === 404 && !status.details?.name) return missingCrds(server, `${plural}.${GROUP}`);
    if (err.code === 409) return new GanglionError(409, status.reason === 'AlreadyExists' ? 'already_exists' : 'conflict', `${what}: ${message}`, { cause: err });
    if (err.code === 422) return new GanglionError(422, 'invalid', `${what}: ${message}`, { cause: err });
    if (err.code === 403) return new GanglionError(403, 'forbidden', `${what}: ${message}; the function's ServiceAccount needs this verb on ${plural}.${GROUP} (k8s/10-rbac-functions.yaml)`, { cause: err });
    if (err.code === 404) return new GanglionError(404, 'not_found', `${what}: ${message}`, { cause: err });
    return new GanglionError(err.code >= 500 ? 502 : err.code, 'kube_error', `${what}: ${message}`, { cause: err });
  }
  const code = (err as NodeJS.ErrnoException).code;
  return new GanglionError(503, 'cluster_unreachable', `${what}: cannot reach ${server} (${code ?? (err as Error).message}); Ganglion keeps its state there — check KUBECONFIG and that the cluster is up`, { cause: err });
}

const TIMEOUT_MS = 10_000;

function withDeadline(signal: AbortSignal | undefined): AbortSignal {
  const deadline = AbortSignal.timeout(TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

/**
 * The kinds the API server's discovery does not list under ganglion.dev/v1alpha1, or 'group' when it serves no such
 * group version at all (404): what the start-up check and the embedded install step both ask.
 */
export async function unservedKinds(c: KubeClients, signal?: AbortSignal): Promise<Plural[] | 'group'> {
  let text: string;
  try {
    text = await requestText(c, 'GET', `/apis/${API_VERSION}`, signal ? { signal } : {});
  } catch (err) {
    if (err instanceof KubeHttpError && err.code === 404) return 'group';
    throw err;
  }
  const served = ((JSON.parse(text) as { resources?: Array<{ name: string }> }).resources ?? []).map((r) => r.name);
  return (Object.keys(KINDS) as Plural[]).filter((p) => !served.includes(p));
}

/** The state client of the home cluster: the configured context (in a pod, its own cluster), the state namespace. */
export function stateClient(kube: KubeAccess, config: Pick<RuntimeConfig, 'state'>): StateClient {
  const namespace = config.state.namespace;
  const base = (plural: Plural) => `/apis/${API_VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
  async function call<T>(plural: Plural, what: string, method: string, path: string, opts: { body?: unknown; query?: Record<string, string | undefined>; signal?: AbortSignal | undefined } = {}): Promise<T> {
    const c = await kube.clients();
    try {
      const text = await requestText(c, method, path, { ...(opts.body !== undefined ? { body: opts.body } : {}), ...(opts.query ? { query: opts.query } : {}), signal: withDeadline(opts.signal) });
      return JSON.parse(text) as T;
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (isAbortError(err) || (err as Error).name === 'TimeoutError') {
        throw new GanglionError(504, 'cluster_timeout', `${what}: ${c.server} did not answer within ${TIMEOUT_MS} ms; check that the cluster is up`);
      }
      throw explain(err, what, c.server, plural);
    }
  }
  const self: StateClient = {
    namespace,
    async get<O extends GanglionObject>(plural: Plural, name: string, signal?: AbortSignal) {
      try {
        return await call<O>(plural, `get ${plural}/${name}`, 'GET', `${base(plural)}/${encodeURIComponent(name)}`, { signal });
      } catch (err) {
        if (err instanceof GanglionError && err.code === 'not_found') return undefined;
        throw err;
      }
    },
    async list<O extends GanglionObject>(plural: Plural, opts: ListOptions = {}, signal?: AbortSignal) {
      const query = { labelSelector: opts.labelSelector, limit: opts.limit ? String(opts.limit) : undefined, continue: opts.continue };
      const body = await call<{ items?: O[]; metadata?: { continue?: string } }>(plural, `list ${plural}`, 'GET', base(plural), { query, signal });
      return { items: body.items ?? [], ...(body.metadata?.continue ? { continue: body.metadata.continue } : {}) };
    },
    async listAll<O extends GanglionObject>(plural: Plural, opts: Omit<ListOptions, 'limit' | 'continue'> = {}, signal?: AbortSignal) {
      const all: O[] = [];
      let token: string | undefined;
      do {
        const page = await self.list<O>(plural, { ...opts, limit: 500, ...(token ? { continue: token } : {}) }, signal);
        all.push(...page.items);
        token = page.continue;
      } while (token);
      return all;
    },
    create<O extends GanglionObject>(plural: Plural, obj: Omit<O, 'apiVersion' | 'kind'>, signal?: AbortSignal) {
      const name = obj.metadata.name || `${obj.metadata.generateName ?? ''}…`;
      return call<O>(plural, `create ${plural}/${name}`, 'POST', base(plural), { body: { apiVersion: API_VERSION, kind: KINDS[plural], ...obj, metadata: { ...obj.metadata, namespace } }, signal });
    },
    replace<O extends GanglionObject>(plural: Plural, obj: O, signal?: AbortSignal) {
      if (!obj.metadata.resourceVersion) throw new GanglionError(500, 'internal', `replace ${plural}/${obj.metadata.name} without a resourceVersion would overwrite somebody else's write`);
      return call<O>(plural, `update ${plural}/${obj.metadata.name}`, 'PUT', `${base(plural)}/${encodeURIComponent(obj.metadata.name)}`, { body: { ...obj, apiVersion: API_VERSION, kind: KINDS[plural] }, signal });
    },
    async delete(plural: Plural, name: string, signal?: AbortSignal) {
      try {
        await call(plural, `delete ${plural}/${name}`, 'DELETE', `${base(plural)}/${encodeURIComponent(name)}`, { signal });
        return true;
      } catch (err) {
        if (err instanceof GanglionError && err.code === 'not_found') return false;
        throw err;
      }
    },
    async check(signal) {
      const c = await kube.clients();
      let missing: Plural[] | 'group';
      try {
        missing = await unservedKinds(c, withDeadline(signal));
      } catch (err) {
        throw explain(err, `discover ${API_VERSION}`, c.server, 'runs');
      }
      if (missing === 'group') throw missingCrds(c.server, API_VERSION);
      if (missing.length) throw missingCrds(c.server, missing.map((p) => `${p}.${GROUP}`).join(', '));
    },
  };
  return self;
}
