/** Fix tasks: a broken workload and the change that mends it, checked on the object kubectl reads afterwards. */
import { fieldIs } from '../kubectl.js';
import type { EvalTask } from '../task.js';
import { deployment, namespace, service } from './manifests.js';

export const fixTasks: EvalTask[] = [
  {
    name: 'fix-notifier-missing-tag', category: 'fix', kind: 'change',
    prompt: "The notifier can't pull its image: tag 1.0.3 was never pushed. Put it back on 1.0.2",
    verify: fieldIs('notifier image', 'deployment/notifier', 'apps', '{.spec.template.spec.containers[0].image}', 'registry.local/notifier:1.0.2'),
  },
  {
    name: 'fix-oomkilled-memory-limit', category: 'fix', kind: 'change',
    prompt: 'image-resizer keeps getting OOMKilled. Raise its memory limit to 512Mi',
    verify: fieldIs('image-resizer memory limit', 'deployment/image-resizer', 'apps', '{.spec.template.spec.containers[0].resources.limits.memory}', '512Mi'),
  },
  {
    name: 'fix-pending-cpu-request', category: 'fix', kind: 'change',
    manifests: namespace('qa') + deployment('big', 'qa', 'nginx:1.27', { resources: '{requests: {cpu: "64"}}' }),
    prompt: 'The big deployment in namespace qa is stuck Pending. Lower its CPU request to 100m',
    verify: fieldIs('deployment big cpu request', 'deployment/big', 'qa', '{.spec.template.spec.containers[0].resources.requests.cpu}', '100m'),
  },
  {
    name: 'fix-service-selector', category: 'fix', kind: 'change',
    manifests: namespace('qa') + deployment('hello', 'qa', 'nginx:1.27') + service('hello', 'qa', 'helo'),
    prompt: 'The hello service in namespace qa has no endpoints. Fix its selector so it points at the hello pods',
    verify: fieldIs('service hello selector app', 'service/hello', 'qa', '{.spec.selector.app}', 'hello'),
  },
  {
    name: 'fix-delete-failed-pods', category: 'fix', tags: ['scenario'], kind: 'change',
    prompt: 'Delete the failed pods',
    async verify({ k }) {
      const failed = (await k.kubectl('get', 'pods', '-A', '--field-selector=status.phase=Failed', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}')).trim();
      const problems = failed ? [`failed pods remain: ${failed}`] : [];
      // only the failed ones go: the forgotten debug pod (Running, no controller to bring it back) must stay
      if ((await k.get('pod/debug-shell', 'default', '{.metadata.name}')) === undefined) problems.push('the running pod default/debug-shell was deleted too');
      return problems;
    },
  },
  {
    name: 'fix-crashloop-db-host', category: 'fix', kind: 'change',
    prompt: 'api-server crashes because DATABASE_HOST in its config points at 10.43.12.7. Change it to postgres.data.svc.cluster.local',
    verify: fieldIs('api-server-config DATABASE_HOST', 'configmap/api-server-config', 'apps', '{.data.DATABASE_HOST}', 'postgres.data.svc.cluster.local'),
  },
];
