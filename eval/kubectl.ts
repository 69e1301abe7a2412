/** The real kubectl against the eval's cluster: setup, the verify's reads, and the "nothing changed" fingerprint. */
import { execFile } from 'node:child_process';

export interface ClusterReader {
  /** `kubectl <args>` stdout; throws with kubectl's stderr when it fails. */
  kubectl(...args: string[]): Promise<string>;
  /** `kubectl get <resource> [-n ns] -o jsonpath=<path>`, or undefined when the object does not exist. */
  get(resource: string, namespace: string | undefined, jsonpath: string): Promise<string | undefined>;
}

export interface ClusterDriver extends ClusterReader {
  /** `kubectl apply -f -` with these manifests. */
  apply(yaml: string): Promise<void>;
  /** What a read must leave as it was: the objects a person or agent would change, by name and generation. */
  fingerprint(): Promise<string[]>;
}

function kubectlRun(kubeconfig: string, args: string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr.trim() || err.message}`, { cause: err }));
      else resolve(stdout);
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

// Kinds a change touches. Pods count by name only (a crash loop restarts containers, never renames a pod);
// configuration objects by resourceVersion (nothing but a write moves it); workloads by generation (status moves theirs).
const BY_VERSION = 'services,configmaps,secrets,serviceaccounts,roles,rolebindings,networkpolicies,namespaces,cronjobs,clusterroles,clusterrolebindings';
const BY_GENERATION = 'deployments,statefulsets,daemonsets';
// Ganglion keeps its runs, audit and monitors in its own namespace: the product's bookkeeping, not the user's cluster.
const OWN_NAMESPACE = 'ganglion';

export function clusterDriver(kubeconfig: string): ClusterDriver {
  const kubectl = (...args: string[]) => kubectlRun(kubeconfig, args);
  const lines = async (kinds: string, field: string) => {
    const out = await kubectl('get', kinds, '-A', '-o', `jsonpath={range .items[*]}{.kind} {.metadata.namespace}/{.metadata.name} ${field}{"\\n"}{end}`);
    return out.split('\n').filter((l) => l && !l.includes(` ${OWN_NAMESPACE}/`) && !l.includes(` /${OWN_NAMESPACE} `));
  };
  return {
    kubectl,
    async get(resource, namespace, jsonpath) {
      try {
        return await kubectl('get', resource, ...(namespace ? ['-n', namespace] : []), '-o', `jsonpath=${jsonpath}`);
      } catch (err) {
        if (/NotFound|not found/.test((err as Error).message)) return undefined;
        throw err;
      }
    },
    async apply(yaml) {
      await kubectlRun(kubeconfig, ['apply', '-f', '-'], yaml);
    },
    async fingerprint() {
      const all = [...(await lines(BY_VERSION, '{.metadata.resourceVersion}')), ...(await lines(BY_GENERATION, '{.metadata.generation}')), ...(await lines('pods', ''))];
      return all.sort();
    },
  };
}

/** One problem when `actual` is not `expected` ([] when it is): the verify's building block. */
export function expectEqual(what: string, actual: string | undefined, expected: string): string[] {
  if (actual === undefined) return [`${what}: the object does not exist (expected ${JSON.stringify(expected)})`];
  return actual.trim() === expected ? [] : [`${what} is ${JSON.stringify(actual.trim())}, expected ${JSON.stringify(expected)}`];
}

/** A verify: the field `jsonpath` of `resource` in `namespace` reads `expected`. */
export function fieldIs(what: string, resource: string, namespace: string, jsonpath: string, expected: string): (ctx: { k: ClusterReader }) => Promise<string[]> {
  return async ({ k }) => expectEqual(what, await k.get(resource, namespace, jsonpath), expected);
}

/** One problem when the object is missing. */
export async function expectExists(k: ClusterReader, resource: string, namespace: string | undefined): Promise<string[]> {
  return (await k.get(resource, namespace, '{.metadata.name}')) === undefined ? [`${resource}${namespace ? ` in ${namespace}` : ''} does not exist`] : [];
}

/** The differences between two fingerprints, as lines a person reads. */
export function fingerprintChanges(before: string[], after: string[]): string[] {
  const b = new Set(before);
  const a = new Set(after);
  return [...before.filter((l) => !a.has(l)).map((l) => `gone or changed: ${l}`), ...after.filter((l) => !b.has(l)).map((l) => `new or changed: ${l}`)];
}
