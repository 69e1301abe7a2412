/** Create tasks: a pod, a Deployment, a Service, a namespace, a ConfigMap, each checked with kubectl afterwards. */
import { expectExists, fieldIs } from '../kubectl.js';
import type { EvalTask } from '../task.js';
import { deployment, namespace } from './manifests.js';

export const createTasks: EvalTask[] = [
  {
    name: 'create-nginx-pod-qa', category: 'create', kind: 'change', manifests: namespace('qa'),
    prompt: 'Create an nginx pod called frontend-test in namespace qa',
    async verify({ k }) {
      const image = await k.get('pod/frontend-test', 'qa', '{.spec.containers[0].image}');
      if (image === undefined) return ['pod frontend-test does not exist in qa'];
      return /^(docker\.io\/(library\/)?)?nginx(:|$)/.test(image) ? [] : [`pod frontend-test runs ${image}, not nginx`];
    },
  },
  {
    name: 'create-redis-pod-dev', category: 'create', tags: ['scenario'], kind: 'change', manifests: namespace('dev'),
    prompt: 'Create a redis pod called cache in the dev namespace',
    async verify({ k }) {
      const image = await k.get('pod/cache', 'dev', '{.spec.containers[0].image}');
      if (image === undefined) return ['pod cache does not exist in dev'];
      return /^(docker\.io\/(library\/)?)?redis(:|$)/.test(image) ? [] : [`pod cache runs ${image}, not redis`];
    },
  },
  {
    name: 'create-namespace-test', category: 'create', kind: 'change',
    prompt: 'create a namespace called test',
    verify: ({ k }) => expectExists(k, 'namespace/test', undefined),
  },
  {
    name: 'create-pod-with-limits', category: 'create', kind: 'change', manifests: namespace('qa'),
    prompt: 'Create a pod called worker in namespace qa running busybox with a memory limit of 128Mi and a CPU limit of 250m',
    verify: fieldIs('pod worker limits (memory cpu)', 'pod/worker', 'qa', '{.spec.containers[0].resources.limits.memory} {.spec.containers[0].resources.limits.cpu}', '128Mi 250m'),
  },
  {
    name: 'create-deployment-replicas', category: 'create', kind: 'change', manifests: namespace('qa'),
    prompt: 'Create a deployment called hello in namespace qa with image nginx:1.27 and 3 replicas',
    verify: fieldIs('deployment hello (image replicas)', 'deployment/hello', 'qa', '{.spec.template.spec.containers[0].image} {.spec.replicas}', 'nginx:1.27 3'),
  },
  {
    name: 'create-service-for-deployment', category: 'create', kind: 'change', manifests: namespace('qa') + deployment('hello', 'qa', 'nginx:1.27'),
    prompt: 'Expose the hello deployment in namespace qa as a service called hello on port 80, sending traffic to container port 8080',
    verify: fieldIs('service hello (selector app, port, targetPort)', 'service/hello', 'qa', '{.spec.selector.app} {.spec.ports[0].port} {.spec.ports[0].targetPort}', 'hello 80 8080'),
  },
  {
    name: 'create-configmap', category: 'create', kind: 'change', manifests: namespace('qa'),
    prompt: 'Create a configmap called app-settings in namespace qa with LOG_LEVEL set to debug',
    verify: fieldIs('configmap app-settings LOG_LEVEL', 'configmap/app-settings', 'qa', '{.data.LOG_LEVEL}', 'debug'),
  },
  {
    name: 'create-pod-mounting-configmap', category: 'create', kind: 'change',
    manifests: `${namespace('qa')}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-settings, namespace: qa}\ndata: {LOG_LEVEL: debug}\n`,
    prompt: 'Create a pod called reader in namespace qa running busybox that mounts the configmap app-settings at /etc/settings',
    async verify({ k }) {
      const pod = await k.get('pod/reader', 'qa', '{range .spec.volumes[*]}{.name}={.configMap.name} {end}|{range .spec.containers[0].volumeMounts[*]}{.name}={.mountPath} {end}');
      if (pod === undefined) return ['pod reader does not exist in qa'];
      const [volumes = '', mounts = ''] = pod.split('|');
      const volume = volumes.split(' ').find((v) => v.endsWith('=app-settings'))?.split('=')[0];
      if (!volume) return [`pod reader has no volume from configmap app-settings (volumes: ${volumes.trim() || 'none'})`];
      return mounts.split(' ').includes(`${volume}=/etc/settings`) ? [] : [`volume ${volume} is not mounted at /etc/settings (mounts: ${mounts.trim() || 'none'})`];
    },
  },
];
