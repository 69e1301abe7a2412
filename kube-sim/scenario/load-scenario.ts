/** Reads a scenario (a name, a YAML path or an in-memory object) and seeds an object store with it. */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, ObjectStore } from '../store.js';
import { applyDefaults } from '../object-defaults.js';
import { PACKAGE_DIR } from '../package-dir.js';
import type { Scenario, ScenarioObject, Simulation } from './scenario.js';

/** A scenario that cannot be loaded: `code` says why (scenario_not_found, invalid_scenario). */
export class ScenarioError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ScenarioError';
    this.code = code;
  }
}

const SCENARIO_DIR = path.join(PACKAGE_DIR, 'scenarios');

const EMPTY: Scenario = {
  name: 'empty',
  simulation: {},
  objects: [
    ...['default', 'kube-system', 'kube-public', 'kube-node-lease'].map((name): ScenarioObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': 'node-1' } },
      spec: { podCIDR: '10.42.0.0/24' },
      status: { capacity: { cpu: '4', memory: '8128548Ki', pods: '110' }, addresses: [{ type: 'InternalIP', address: '192.168.1.101' }] },
    },
  ],
};

/** 'home-lab' | 'empty' | a path to a YAML file | an already-parsed scenario object. */
export async function loadScenario(source: string | object): Promise<Scenario> {
  if (typeof source !== 'string') return scenarioFromObject(source, 'inline');
  if (source === 'empty') return structuredClone(EMPTY);
  const file = /[/\\]|\.ya?ml$/.test(source) ? path.resolve(source) : path.join(SCENARIO_DIR, `${source}.yaml`);
  if (!file || !existsSync(file)) {
    throw new ScenarioError('scenario_not_found', `no kube-sim scenario "${source}"; use home-lab, empty, or a path to a scenario YAML file`);
  }
  return parseScenarioYaml(await readFile(file, 'utf8'), path.basename(file).replace(/\.ya?ml$/, ''));
}

/** Multi-document YAML: Kubernetes objects (a `List` is flattened) and one document holding `simulation:`. */
export function parseScenarioYaml(text: string, name: string): Scenario {
  const objects: unknown[] = [];
  let simulation: unknown = {};
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new ScenarioError('invalid_scenario', `scenario ${name}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value === 'object' && 'simulation' in value && !('kind' in value)) simulation = (value as { simulation: unknown }).simulation;
    else objects.push(value);
  }
  return scenarioFromObject({ name, objects, simulation }, name);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scenarioFromObject(value: object, fallbackName: string): Scenario {
  const raw = value as { name?: unknown; objects?: unknown; simulation?: unknown };
  const list = Array.isArray(raw.objects) ? raw.objects : [];
  const objects: ScenarioObject[] = [];
  list.forEach((item, i) => {
    const items = isRecord(item) && item.kind === 'List' && Array.isArray(item.items) ? item.items : [item];
    for (const obj of items) {
      if (!isRecord(obj) || typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string' || !isRecord(obj.metadata) || typeof obj.metadata.name !== 'string') {
        throw new ScenarioError('invalid_scenario', `scenario ${fallbackName}: object ${i + 1} needs apiVersion, kind and metadata.name`);
      }
      objects.push(obj as ScenarioObject);
    }
  });
  const simulation = isRecord(raw.simulation) ? (raw.simulation as Simulation) : {};
  return { name: typeof raw.name === 'string' ? raw.name : fallbackName, objects, simulation };
}

const RESOURCE_OF_KIND: Record<string, string> = {
  Namespace: 'namespaces', Node: 'nodes', Pod: 'pods', Service: 'services', Endpoints: 'endpoints', ConfigMap: 'configmaps',
  Secret: 'secrets', Event: 'events', ServiceAccount: 'serviceaccounts', PersistentVolumeClaim: 'persistentvolumeclaims',
  PersistentVolume: 'persistentvolumes', Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets', Job: 'jobs', CronJob: 'cronjobs', Ingress: 'ingresses', NetworkPolicy: 'networkpolicies',
  Role: 'roles', RoleBinding: 'rolebindings', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings',
  StorageClass: 'storageclasses', PriorityClass: 'priorityclasses', HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets', ResourceQuota: 'resourcequotas', LimitRange: 'limitranges',
};

// objects others refer to go first, so a controller never sees a Deployment before its namespace or ConfigMap
const ORDER = ['Namespace', 'Node', 'PriorityClass', 'StorageClass', 'ServiceAccount', 'ConfigMap', 'Secret', 'Service', 'Deployment', 'Job', 'ReplicaSet', 'Pod'];
const RANK = new Map(ORDER.map((kind, i) => [kind, i]));
const rank = (kind: string) => RANK.get(kind) ?? ORDER.length;

const simulations = new WeakMap<ObjectStore, Simulation>();

/** The simulation section seeded into this store (startControllers reads it when not given one). */
export function simulationOf(store: ObjectStore): Simulation | undefined {
  return simulations.get(store);
}

/** Uses a scenario's simulation section for a store filled some other way (restored from its home). */
export function rememberSimulation(store: ObjectStore, simulation: Simulation): void {
  simulations.set(store, simulation);
}

function mentionsVar(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${');
  if (Array.isArray(value)) return value.some(mentionsVar);
  if (isRecord(value)) return Object.values(value).some(mentionsVar);
  return false;
}

/** The object with `${VAR}` replaced in its strings: a copy when something is replaced, else the object itself. */
function substitute(value: ScenarioObject, vars: Record<string, string>): unknown {
  if (!mentionsVar(value)) return value;
  const text = JSON.stringify(value).replace(/\$\{([A-Z0-9_]+)\}/g, (whole, key: string) => (key in vars ? JSON.stringify(vars[key]).slice(1, -1) : whole));
  return JSON.parse(text);
}

/**
 * Creates every object of the scenario (namespaces first) and remembers its simulation section for the
 * controllers. `${VAR}` in string values is replaced from `vars` (the home lab uses ${GANGLION_HOME}; ${SEED_TIME} is
 * now, for objects written already settled). API defaults
 * are filled into the scenario's own objects (idempotent), which keeps seeding 10,000 pods fast.
 */
export function seedScenario(store: ObjectStore, scenario: Scenario, opts: { vars?: Record<string, string> } = {}): { created: number } {
  const vars = { GANGLION_HOME: '.ganglion', SEED_TIME: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), ...opts.vars };
  rememberSimulation(store, scenario.simulation);
  const sorted = [...scenario.objects].sort((a, b) => rank(a.kind) - rank(b.kind));
  let created = 0;
  // owner references written without a uid (`uid: ''`) point at an owner of that kind and name seeded earlier
  const uids = new Map<string, string>();
  for (const obj of sorted) {
    const resource = RESOURCE_OF_KIND[obj.kind];
    if (!resource) throw new ScenarioError('invalid_scenario', `scenario ${scenario.name}: kube-sim does not serve kind ${obj.kind} (${obj.metadata.name})`);
    const ready = substitute(obj, vars) as KubeObject;
    // the same defaults the API server fills in on create, so seeded objects look like applied ones
    applyDefaults(resource, ready);
    const ns = ready.metadata.namespace ?? 'default';
    for (const ref of ready.metadata.ownerReferences ?? []) if (!ref.uid) ref.uid = uids.get(`${ref.kind}/${ns}/${ref.name}`) ?? '';
    const made = store.create(resource, ready);
    uids.set(`${made.kind}/${made.metadata.namespace ?? 'default'}/${made.metadata.name}`, made.metadata.uid);
    created++;
  }
  return { created };
}
