/** RBAC tasks: a Role, a RoleBinding, a ServiceAccount, read-only access; each read back with kubectl. */
import { expectEqual, expectExists } from '../kubectl.js';
import type { ClusterReader } from '../kubectl.js';
import type { EvalTask } from '../task.js';
import { namespace } from './manifests.js';

const POD_READER = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: qa}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list, watch]}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ci-bot, namespace: qa}
`;

interface Binding { roleRef: { kind: string; name: string }; subjects?: { kind: string; name: string; namespace?: string }[] }

async function bindingsIn(k: ClusterReader, ns: string): Promise<Binding[]> {
  return (JSON.parse(await k.kubectl('get', 'rolebindings', '-n', ns, '-o', 'json')) as { items: Binding[] }).items;
}

/** The verbs a Role grants on a resource (rules naming it or "*"). */
async function roleVerbs(k: ClusterReader, ns: string, role: string, resource: string): Promise<string[] | undefined> {
  const raw = await k.get(`role/${role}`, ns, '{.rules}');
  if (raw === undefined) return undefined;
  const rules = (raw ? JSON.parse(raw) : []) as { resources?: string[]; verbs?: string[] }[];
  return [...new Set(rules.filter((r) => (r.resources ?? []).some((x) => x === resource || x === '*')).flatMap((r) => r.verbs ?? []))].sort();
}

export const rbacTasks: EvalTask[] = [
  {
    name: 'rbac-create-role', category: 'rbac', kind: 'change', manifests: namespace('qa'),
    prompt: 'Create a role called pod-reader in namespace qa that can get, list and watch pods',
    async verify({ k }) {
      const verbs = await roleVerbs(k, 'qa', 'pod-reader', 'pods');
      if (verbs === undefined) return ['role pod-reader does not exist in qa'];
      return expectEqual('verbs of role pod-reader on pods', verbs.join(','), 'get,list,watch');
    },
  },
  {
    name: 'rbac-bind-role-to-sa', category: 'rbac', kind: 'change', manifests: namespace('qa') + POD_READER,
    prompt: 'Bind the pod-reader role to the service account ci-bot in namespace qa',
    async verify({ k }) {
      const ok = (await bindingsIn(k, 'qa')).some((b) => b.roleRef.kind === 'Role' && b.roleRef.name === 'pod-reader'
        && (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.name === 'ci-bot' && (s.namespace ?? 'qa') === 'qa'));
      return ok ? [] : ['no RoleBinding in qa binds Role pod-reader to ServiceAccount ci-bot'];
    },
  },
  {
    name: 'rbac-create-service-account', category: 'rbac', kind: 'change', manifests: namespace('qa'),
    prompt: 'Create a service account called deployer in namespace qa',
    verify: ({ k }) => expectExists(k, 'serviceaccount/deployer', 'qa'),
  },
  {
    name: 'rbac-read-only-user', category: 'rbac', kind: 'change', manifests: namespace('qa'),
    prompt: 'Give the user alice read-only access to namespace qa',
    async verify({ k }) {
      const READ = new Set(['get', 'list', 'watch']);
      for (const b of await bindingsIn(k, 'qa')) {
        if (!(b.subjects ?? []).some((s) => s.kind === 'User' && s.name === 'alice')) continue;
        if (b.roleRef.kind === 'ClusterRole' && b.roleRef.name === 'view') return [];
        if (b.roleRef.kind === 'Role') {
          const raw = await k.get(`role/${b.roleRef.name}`, 'qa', '{.rules}');
          const verbs = ((raw ? JSON.parse(raw) : []) as { verbs?: string[] }[]).flatMap((r) => r.verbs ?? []);
          if (verbs.length && verbs.every((v) => READ.has(v))) return [];
          return [`alice is bound to Role ${b.roleRef.name}, which grants ${verbs.join(',') || 'nothing'}: not read-only access`];
        }
      }
      return ['no RoleBinding in qa gives user alice read-only access (ClusterRole view or a Role of get/list/watch)'];
    },
  },
];
