/** Rollout tasks: deploy a version, roll back, restart, set an image; the scenario lines and their paraphrases. */
import { fieldIs } from '../kubectl.js';
import type { EvalTask } from '../task.js';
import { deployment, namespace } from './manifests.js';

const pmpImage = (tag: string) => fieldIs('placemyparents image', 'deployment/placemyparents', 'apps', '{.spec.template.spec.containers[0].image}', `registry.local/placemyparents:${tag}`);
// a rollout to 2.0 before the prompt, so "the last deployment" is one the cluster really has
const DEPLOYED_2_0 = [['-n', 'apps', 'set', 'image', 'deployment/placemyparents', 'placemyparents=registry.local/placemyparents:2.0'], ['-n', 'apps', 'rollout', 'status', 'deployment/placemyparents', '--timeout=60s']];

export const rolloutTasks: EvalTask[] = [
  {
    name: 'rollout-deploy-version', category: 'rollout', tags: ['scenario'], kind: 'change', prompt: 'Deploy placemyparents version 2.0',
    verify: pmpImage('2.0'),
  },
  {
    name: 'rollout-upgrade-paraphrase', category: 'rollout', tags: ['paraphrase'], kind: 'change', prompt: 'upgrade placemyparents to 2.0',
    verify: pmpImage('2.0'),
  },
  {
    name: 'rollout-roll-back', category: 'rollout', tags: ['scenario'], kind: 'change', setup: DEPLOYED_2_0, prompt: 'Roll back the last deployment',
    verify: pmpImage('1.4'),
  },
  {
    name: 'rollout-undo-paraphrase', category: 'rollout', tags: ['paraphrase'], kind: 'change', setup: DEPLOYED_2_0, prompt: 'undo the last rollout',
    verify: pmpImage('1.4'),
  },
  {
    name: 'rollout-restart', category: 'rollout', kind: 'change', prompt: 'Restart the frontend deployment in the web namespace',
    async verify({ k }) {
      const at = await k.get('deployment/frontend', 'web', '{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}');
      return at ? [] : ['deployment frontend has no kubectl.kubernetes.io/restartedAt annotation on its pod template: it was not restarted'];
    },
  },
  {
    name: 'rollout-set-image', category: 'rollout', kind: 'change', manifests: namespace('qa') + deployment('hello', 'qa', 'nginx:1.26'),
    prompt: 'Update hello in namespace qa to nginx:1.27',
    verify: fieldIs('hello image', 'deployment/hello', 'qa', '{.spec.template.spec.containers[0].image}', 'nginx:1.27'),
  },
];
