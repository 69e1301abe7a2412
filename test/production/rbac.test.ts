import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { loadStack } from '../../stack/stack-file.js';
import type { FunctionMeta } from '../../function-kit/function-module.js';
import { clientMethodPermission, dedupe, key, permissionsIn, reachablePermissions, type Permission } from '../../testing/api-calls.js';
import { readManifests, repoRoot, type Manifest } from '../../testing/k8s-files.js';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }
interface Binding extends Manifest { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace?: string }[] }

const manifests = readManifests();
const stack = await loadStack(path.join(repoRoot, 'stack.yml'));
const functions = Object.keys(stack.functions).sort();
const WRITE = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate']);

/**
 * Writes no RoleBinding can grant, each for a reason: a Namespace and a Node are cluster-scoped objects, and a drain
 * evicts the pods on its node in whichever namespace they run (as kubectl drain does).
 */
const CLUSTER_WIDE_WRITES: Record<string, string[]> = {
  apply: ['|namespaces|patch'],
  node: ['|nodes|patch', '|pods/eviction|create'],
};

const expand = (rules: Rule[]): Permission[] => rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((verb) => ({ apiGroup: g, resource: res, verb })))));
const show = (ps: Permission[]) => ps.map((p) => `${p.apiGroup || 'core'}/${p.resource}:${p.verb}`).join(' ') || '(none)';

/** Every permission the ServiceAccount gets through any binding in k8s/, with the binding kind that grants it. */
function granted(sa: string, namespace: string): { perms: Permission[]; via: { binding: string; perm: Permission }[] } {
  const via: { binding: string; perm: Permission }[] = [];
  for (const b of manifests.filter((m): m is Binding => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
    if (!b.subjects.some((s) => s.kind === 'ServiceAccount' && s.name === sa && s.namespace === namespace)) continue;
    const role = manifests.find((m) => m.kind === b.roleRef.kind && m.metadata.name === b.roleRef.name && (m.kind === 'ClusterRole' || m.metadata.namespace === b.metadata.namespace));
    assert.ok(role, `${b.kind} ${b.metadata.name} refers to a missing ${b.roleRef.kind} ${b.roleRef.name}`);
    for (const perm of expand((role as Manifest & { rules: Rule[] }).rules)) via.push({ binding: b.kind, perm });
  }
  return { perms: dedupe(via.map((v) => v.perm)), via };
}

async function metaOf(fn: string): Promise<FunctionMeta> {
  const mod = (await import(path.join(repoRoot, 'dist', 'functions', fn, 'schema.js'))) as { meta: FunctionMeta };
  return mod.meta;
}

test('every function in stack.yml declares exactly the Kubernetes calls its code makes (meta.kube vs. its source)', async () => {
  const wrong: string[] = [];
  for (const fn of functions) {
    const declared = dedupe(expand((await metaOf(fn)).kube?.map((g) => ({ apiGroups: [g.apiGroup], resources: g.resources, verbs: g.verbs })) ?? []));
    const meta = await metaOf(fn);
    // A mutating function's host spends the step's Approval object before the handler runs (host/function-app.ts).
    const host = meta.mutates ? reachablePermissions(path.join(repoRoot, 'host', 'approval-token.ts'), 'spendApproval').permissions : [];
    const used = dedupe([...reachablePermissions(path.join(repoRoot, 'functions', fn, 'handler.ts')).permissions, ...host]);
    if (show(declared) !== show(used)) wrong.push(`${fn}: code calls ${show(used)} but schema.ts kube declares ${show(declared)}`);
  }
  assert.equal(wrong, [], `fix the function's schema.ts \`kube\` field (and k8s/10-rbac-functions.yaml):\n${wrong.join('\n')}`);
});

test('each function\'s ServiceAccount is granted exactly its declared verbs — no more, no wildcards, writes only in named namespaces', async () => {
  const wrong: string[] = [];
  for (const fn of functions) {
    const sa = `ganglion-${fn}`;
    const declared = dedupe(expand((await metaOf(fn)).kube?.map((g) => ({ apiGroups: [g.apiGroup], resources: g.resources, verbs: g.verbs })) ?? []));
    assert.ok(manifests.some((m) => m.kind === 'ServiceAccount' && m.metadata.name === sa && m.metadata.namespace === 'openfaas-fn'), `no ServiceAccount ${sa} in openfaas-fn`);
    const g = granted(sa, 'openfaas-fn');
    if (show(g.perms) !== show(declared)) wrong.push(`${sa}: k8s/ grants ${show(g.perms)} but the function declares ${show(declared)}`);
    for (const v of g.via) {
      if (v.perm.verb === '*' || v.perm.resource === '*' || v.perm.apiGroup === '*') wrong.push(`${sa}: wildcard ${key(v.perm)}`);
      if (WRITE.has(v.perm.verb) && v.binding === 'ClusterRoleBinding' && !CLUSTER_WIDE_WRITES[fn]?.includes(key(v.perm))) wrong.push(`${sa}: ${key(v.perm)} granted cluster-wide`);
    }
  }
  assert.equal(wrong, []);
});

test('read-only tools get get/list/watch only; mutating ones patch Deployments only through RoleBindings in the allowed namespaces', async () => {
  for (const fn of functions) {
    const meta = await metaOf(fn);
    const g = granted(`ganglion-${fn}`, 'openfaas-fn');
    // A read-only tool still keeps its own records (a webhook delivery, a log baseline, a monitor check's status) as
    // Ganglion's objects in the state namespace — never the cluster's workloads; the test above keeps those writes off ClusterRoleBindings.
    const writes = g.via.filter((v) => WRITE.has(v.perm.verb) && !(v.perm.apiGroup === 'batch' && v.perm.resource === 'jobs') && v.perm.apiGroup !== 'ganglion.dev');
    if (!meta.mutates) assert.equal(writes.map((w) => key(w.perm)), [], `${fn} is read-only`);
  }
  const deployWrite = manifests.filter((m) => m.kind === 'RoleBinding' && m.metadata.name === 'ganglion-deploy-write').map((m) => m.metadata.namespace).sort();
  assert.equal(deployWrite, ['apps', 'data', 'staging', 'web']);
});

const pruneCalls = () => reachablePermissions(path.join(repoRoot, 'workers', 'prune-role.ts')).permissions;

test('the agent Jobs\' ServiceAccount (ganglion-worker) is granted exactly what workers/ calls, the prune role aside', () => {
  // the prune role runs only in the retention CronJob, as ganglion-retention
  const prune = new Set(pruneCalls().map(key));
  const used = reachablePermissions(path.join(repoRoot, 'workers', 'main.ts')).permissions.filter((p) => !prune.has(key(p)));
  assert.equal(show(granted('ganglion-worker', 'ganglion-workers').perms), show(used));
});

test('the retention CronJob\'s ServiceAccount (ganglion-retention) may list and delete exactly the kinds it prunes, through a Role in ganglion', () => {
  const g = granted('ganglion-retention', 'ganglion');
  assert.equal(show(g.perms), show(pruneCalls()));
  assert.equal([...new Set(g.perms.map((p) => p.verb))].sort(), ['delete', 'list']);
  assert.equal([...new Set(g.perms.map((p) => `${p.apiGroup}/${p.resource}`))].sort(), ['ganglion.dev/approvals', 'ganglion.dev/auditrecords', 'ganglion.dev/runs', 'ganglion.dev/webhookdeliveries']);
  assert.ok(g.via.every((v) => v.binding === 'RoleBinding'), 'granted cluster-wide');
  const cron = manifests.find((m) => m.kind === 'CronJob' && m.metadata.name === 'ganglion-retention') as (Manifest & { spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: string } } } } } }) | undefined;
  assert.is(cron?.spec.jobTemplate.spec.template.spec.serviceAccountName, 'ganglion-retention');
});

const AUDIT_WRITES = new Set(['update', 'patch', 'delete', 'deletecollection', '*']);
/** Every ServiceAccount a binding in `all` lets change or delete AuditRecords (wildcards included), with the verb. */
function auditWriters(all: Manifest[]): string[] {
  const out = new Set<string>();
  for (const b of all.filter((m): m is Binding => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding')) {
    const role = all.find((m) => m.kind === b.roleRef.kind && m.metadata.name === b.roleRef.name && (m.kind === 'ClusterRole' || m.metadata.namespace === b.metadata.namespace));
    for (const p of expand((role as (Manifest & { rules?: Rule[] }) | undefined)?.rules ?? [])) {
      if (!['ganglion.dev', '*'].includes(p.apiGroup) || !['auditrecords', '*'].includes(p.resource) || !AUDIT_WRITES.has(p.verb)) continue;
      for (const sub of b.subjects.filter((x) => x.kind === 'ServiceAccount')) out.add(`${sub.namespace}/${sub.name}:${p.verb}`);
    }
  }
  return [...out].sort();
}

test('the audit log is append-only: no ServiceAccount but ganglion-retention may update, patch or delete AuditRecords, and it only deletes', () => {
  assert.equal(auditWriters(manifests), ['ganglion/ganglion-retention:delete']);
  // functions that write audit records may only create (and read) them
  for (const fn of functions) {
    const verbs = granted(`ganglion-${fn}`, 'openfaas-fn').perms.filter((p) => p.apiGroup === 'ganglion.dev' && p.resource === 'auditrecords').map((p) => p.verb);
    assert.ok(verbs.every((v) => ['create', 'get', 'list'].includes(v)), `${fn}: ${verbs.join(', ')}`);
  }
  assert.ok(granted('ganglion-planner', 'openfaas-fn').perms.some((p) => p.resource === 'auditrecords' && p.verb === 'create'), 'the planner writes the audit log');
});

test('the append-only check can fail: a ClusterRole with a wildcard or patch on auditrecords, bound to a function, is caught', () => {
  const extra = (verbs: string[], resources: string[]): Manifest[] => [
    { file: 'x', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'sneaky' }, rules: [{ apiGroups: ['ganglion.dev'], resources, verbs }] },
    { file: 'x', apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'sneaky' }, roleRef: { kind: 'ClusterRole', name: 'sneaky' }, subjects: [{ kind: 'ServiceAccount', name: 'ganglion-report', namespace: 'openfaas-fn' }] },
  ];
  assert.equal(auditWriters([...manifests, ...extra(['patch'], ['auditrecords'])]), ['ganglion/ganglion-retention:delete', 'openfaas-fn/ganglion-report:patch']);
  assert.equal(auditWriters([...manifests, ...extra(['*'], ['*'])]), ['ganglion/ganglion-retention:delete', 'openfaas-fn/ganglion-report:*']);
});

test('the source check can fail: client calls and raw API paths map to the RBAC triple they need', () => {
  assert.equal(clientMethodPermission('apps', 'patchNamespacedDeployment'), { apiGroup: 'apps', resource: 'deployments', verb: 'patch' });
  assert.equal(clientMethodPermission('core', 'readNamespacedPodLog'), { apiGroup: '', resource: 'pods/log', verb: 'get' });
  assert.equal(clientMethodPermission('apps', 'listReplicaSetForAllNamespaces'), { apiGroup: 'apps', resource: 'replicasets', verb: 'list' });
  assert.equal(clientMethodPermission('core', 'replaceNamespacedConfigMap'), { apiGroup: '', resource: 'configmaps', verb: 'update' });
  assert.equal(show(permissionsIn("await getJson(c, '/api/v1/nodes');\nconst p = `/apis/apps/v1${ns ? `/namespaces/${ns}` : ''}/deployments`;")), 'core/nodes:list apps/deployments:list');
  assert.equal(show(permissionsIn('getJson(c, `/api/v1/namespaces/${encodeURIComponent(namespace)}`)')), 'core/namespaces:get');
  // an enumerated readable set (functions/kube-get/readable.ts): each resource gets get and list
  assert.equal(show(dedupe(permissionsIn("readable('apps', ['deployments', 'replicasets']),"))), 'apps/deployments:get apps/deployments:list apps/replicasets:get apps/replicasets:list');
  // Ganglion's own objects: the kind is the call's first argument; a Map's get('x') is not one of them
  assert.equal(show(dedupe(permissionsIn("await state.get<RunObject>('runs', id);\nstate.replace('runs', o); cache.get('key'); state.listAll('auditrecords')"))), 'ganglion.dev/auditrecords:list ganglion.dev/runs:get ganglion.dev/runs:update');
});

test('no function lists or watches Secrets; config-sync alone gets them, by name, only through RoleBindings where it may write', async () => {
  const wrong: string[] = [];
  for (const fn of functions) {
    for (const v of granted(`ganglion-${fn}`, 'openfaas-fn').via.filter((x) => ['secrets', '*'].includes(x.perm.resource) && ['', '*'].includes(x.perm.apiGroup))) {
      if (fn !== 'config-sync') wrong.push(`${fn}: ${key(v.perm)} via ${v.binding}`);
      else if (['list', 'watch', '*'].includes(v.perm.verb) || v.binding !== 'RoleBinding') wrong.push(`${fn}: ${key(v.perm)} via ${v.binding}`);
    }
  }
  assert.equal(wrong, []);
  const secretRoles = manifests.filter((m) => m.kind === 'ClusterRole' && ((m as Manifest & { rules?: Rule[] }).rules ?? []).some((r) => r.resources.includes('secrets'))).map((m) => m.metadata.name);
  const where = manifests.filter((m): m is Binding => m.kind === 'RoleBinding')
    .filter((b) => secretRoles.includes(b.roleRef.name) && b.subjects.some((x) => x.name === 'ganglion-config-sync')).map((b) => b.metadata.namespace).sort();
  const writes = manifests.filter((m) => m.kind === 'RoleBinding' && m.metadata.name === 'ganglion-config-sync-write').map((m) => m.metadata.namespace).sort();
  assert.equal(where, writes);
});

test('functions that run worker Jobs read those Jobs\' pods and logs only in ganglion-workers', async () => {
  for (const fn of ['code-review', 'coverage', 'run-tests', 'train-model', 'verify', 'security-audit']) {
    const logs = granted(`ganglion-${fn}`, 'openfaas-fn').via.filter((v) => v.perm.resource === 'pods/log');
    assert.ok(logs.length > 0, `${fn} reads its worker's log`);
    assert.ok(logs.every((v) => v.binding === 'RoleBinding'), `${fn} reads pods/log cluster-wide`);
  }
});

test.run();
