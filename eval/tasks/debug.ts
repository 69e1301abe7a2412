/**
 * Debug tasks: questions whose answer must carry facts kubectl reads at verify time (names, reasons, log lines), and
 * which must change nothing (the harness compares the cluster before and after).
 */
import type { EvalTask } from '../task.js';
import { deployment, namespace } from './manifests.js';

// api-server crashes after 2 s and image-resizer is OOM-killed after 3 s: questions about them wait until both have
const FAULTS_SHOWN_MS = 4_000;

/** Problems for each fact the answer leaves out. */
const mentions = (answer: string | undefined, facts: string[], what: string) => facts.filter((f) => !(answer ?? '').includes(f)).map((f) => `the answer does not name ${what} ${f}`);

const unhealthyPods = async (k: { kubectl(...a: string[]): Promise<string> }) => {
  const out = await k.kubectl('get', 'pods', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase} {range .status.containerStatuses[*]}{.restartCount},{.state.waiting.reason};{end}{"\\n"}{end}');
  // unhealthy in a way that lasts: not Running/Succeeded, restarted, or waiting on an image
  return out.split('\n').filter(Boolean).map((l) => l.split(' ')).filter(([, phase, cs = '']) =>
    (phase !== 'Running' && phase !== 'Succeeded') || cs.split(';').some((c) => Number(c.split(',')[0]) > 0 || /ImagePull|ErrImage/.test(c))).map(([name]) => name ?? '');
};

export const debugTasks: EvalTask[] = [
  {
    name: 'debug-failing-pods', category: 'debug', tags: ['scenario'], kind: 'read', waitMs: FAULTS_SHOWN_MS, prompt: 'List all failing pods',
    verify: async ({ k, answer }) => mentions(answer, await unhealthyPods(k), 'the unhealthy pod'),
  },
  {
    name: 'debug-broken-pods-paraphrase', category: 'debug', tags: ['paraphrase'], kind: 'read', waitMs: FAULTS_SHOWN_MS, prompt: 'which pods are broken?',
    verify: async ({ k, answer }) => mentions(answer, await unhealthyPods(k), 'the unhealthy pod'),
  },
  {
    name: 'debug-logs-api-server', category: 'debug', tags: ['scenario'], kind: 'read', waitMs: FAULTS_SHOWN_MS, prompt: 'Get logs from the api-server pod',
    async verify({ k, answer }) {
      const lines: string[] = [];
      for (const previous of ['--previous=false', '--previous=true']) {
        const log = await k.kubectl('logs', '-n', 'apps', 'deployment/api-server', previous, '--tail=40').catch(() => '');
        lines.push(...log.split('\n').map((l) => l.trim()).filter((l) => l.length > 12));
      }
      if (!lines.length) return ['kubectl shows no log for api-server'];
      return lines.some((l) => (answer ?? '').includes(l)) ? [] : ['no line of the api-server log kubectl shows is in the answer'];
    },
  },
  {
    name: 'debug-why-pending', category: 'debug', kind: 'read',
    manifests: namespace('qa') + deployment('big', 'qa', 'nginx:1.27', { resources: '{requests: {cpu: "64"}}' }),
    prompt: 'Why is the big deployment in namespace qa not running?',
    async verify({ k, answer }) {
      const msg = (await k.kubectl('get', 'pods', '-n', 'qa', '-l', 'app=big', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="PodScheduled")].message}')).trim();
      if (!/Insufficient cpu/.test(msg)) return [`kubectl does not show the pod unschedulable for cpu (${msg || 'no message'}); the setup did not take`];
      return /insufficient cpu|not enough cpu|cpu/i.test(answer ?? '') && /pending|unschedulable|schedul/i.test(answer ?? '') ? [] : ['the answer does not say the pod is Pending for lack of CPU'];
    },
  },
  {
    name: 'debug-describe-deployment', category: 'debug', tags: ['scenario'], kind: 'read', prompt: 'Describe the api-server deployment',
    async verify({ k, answer }) {
      const image = (await k.get('deployment/api-server', 'apps', '{.spec.template.spec.containers[0].image}')) ?? '?';
      return mentions(answer, [image], 'the image');
    },
  },
  {
    name: 'debug-events-for-object', category: 'debug', kind: 'read', waitMs: FAULTS_SHOWN_MS, prompt: 'show me the events for api-server',
    async verify({ k, answer }) {
      const reasons = (await k.kubectl('get', 'events', '-n', 'apps', '-o', 'jsonpath={range .items[?(@.involvedObject.kind=="Pod")]}{.involvedObject.name} {.reason}{"\\n"}{end}'))
        .split('\n').filter((l) => l.startsWith('api-server-')).map((l) => l.split(' ')[1] ?? '');
      if (!reasons.length) return ['kubectl shows no events for the api-server pod'];
      return reasons.includes('BackOff') ? mentions(answer, ['BackOff'], 'the event reason') : mentions(answer, [reasons[0] ?? ''], 'the event reason');
    },
  },
  {
    name: 'debug-memory-pressure', category: 'debug', tags: ['scenario'], kind: 'read', prompt: 'Which nodes are under memory pressure?',
    async verify({ k, answer }) {
      const nodes = (await k.kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="MemoryPressure")].status}{"\\n"}{end}')).split('\n').filter(Boolean).map((l) => l.split(' '));
      const pressed = nodes.filter(([, s]) => s === 'True').map(([n]) => n ?? '');
      if (pressed.length) return mentions(answer, pressed, 'the node under memory pressure');
      return /\b(no|none|not)\b/i.test(answer ?? '') && /memory/i.test(answer ?? '') ? [] : ['no node is under memory pressure, and the answer does not say so'];
    },
  },
  {
    name: 'debug-what-changed', category: 'debug', tags: ['scenario'], kind: 'read',
    setup: [['-n', 'web', 'set', 'image', 'deployment/frontend', 'frontend=registry.local/frontend:2.4.0']],
    prompt: 'What changed in the last hour?',
    verify: async ({ answer }) => mentions(answer, ['frontend'], 'the Deployment rolled out a moment ago,'),
  },
  {
    name: 'debug-list-deployments', category: 'debug', kind: 'read', prompt: 'list all deployments',
    async verify({ k, answer }) {
      const names = (await k.kubectl('get', 'deployments', '-A', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean);
      return mentions(answer, names, 'the Deployment');
    },
  },
  {
    name: 'debug-is-grafana-up', category: 'debug', kind: 'read', prompt: 'is grafana up?',
    async verify({ k, answer }) {
      const ready = (await k.kubectl('get', 'pods', '-n', 'monitoring', '-l', 'app=grafana', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}')).trim();
      const says = answer ?? '';
      if (!/grafana/i.test(says)) return ['the answer does not mention grafana'];
      if (ready.split(' ').every((s) => s === 'True')) return /\b(up|ready|healthy|running)\b/i.test(says) ? [] : ['grafana is ready, and the answer does not say so'];
      return /not ready|unhealthy|down|failing|503|not up|NotReady/i.test(says) ? [] : ['grafana is not ready (kubectl), and the answer does not say so'];
    },
  },
  {
    name: 'debug-cluster-status', category: 'debug', tags: ['scenario'], kind: 'read', prompt: 'Show me cluster status',
    async verify({ k, answer }) {
      const nodes = (await k.kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean);
      return mentions(answer, nodes, 'the node');
    },
  },
];
