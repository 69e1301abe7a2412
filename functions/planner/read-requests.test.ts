/** Ordinary read requests and scale phrasings a new user tries: each gets the read or change that answers it, or an honest "I can't … yet". */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEmbeddedPlanner } from './embedded-planner.js';
import { homeLabFacts } from './testing/home-lab-facts.js';
import type { PlannerOutcome } from './plan.js';

const planner = createEmbeddedPlanner();
const grafana = { name: 'grafana', namespace: 'monitoring', labels: { app: 'grafana' }, images: ['grafana/grafana:11.1.0'], containers: ['grafana'], replicas: 1, ready: 1 };
const plan = (text: string): Promise<PlannerOutcome> => planner.plan({ text, facts: homeLabFacts([grafana]), catalog: [], signal: new AbortController().signal });
const shape = (out: PlannerOutcome) => (out.plan.question ? `? ${out.plan.question}` : out.plan.steps.map((s) => `${s.fn}${JSON.stringify(s.input)}${s.mutates ? '!' : ''}`).join(' '));
const WEB = (n: number) => ['frontend', 'web-proxy', 'docs-site'].map((d) => `scale{"name":"${d}","namespace":"web","replicas":${n}}!`).join(' ');

const TABLE: [string, string | RegExp][] = [
  ['how many replicas does frontend have', 'cluster-status{"namespace":"web","name":"frontend"}'],
  ['what version of placemyparents is running', 'cluster-status{"namespace":"apps","name":"placemyparents"}'],
  ['which image is api-server running?', 'cluster-status{"namespace":"apps","name":"api-server"}'],
  ['which nodes are under memory pressure?', 'cluster-status{}'],
  ['any nodes with disk pressure?', 'cluster-status{}'],
  ['describe the api-server deployment', 'cluster-status{"namespace":"apps","name":"api-server"}'],
  ['list all deployments', 'cluster-status{"deployments":true}'],
  ['show me the deployments', 'cluster-status{"deployments":true}'],
  ['is grafana up?', 'cluster-status{"namespace":"monitoring","name":"grafana"}'],
  ['is the notifier running', 'cluster-status{"namespace":"apps","name":"notifier"}'],
  ['show me the events for api-server', /^\? I can't show the events of api-server yet; nothing was changed\. I can show why api-server's pods fail/],
  ['what changed in the last hour?', /^\? I can't list every change in the cluster yet .*nothing was changed\. I can show the changes Ganglion made \(`ganglion audit`\)/],
  ['bring the web tier down to 2', WEB(2)],
  ['make the web tier 5 replicas', WEB(5)],
  ['bring placemyparents up to 4', 'scale{"name":"placemyparents","namespace":"apps","replicas":4}!'],
  ['review code and deploy if good', 'code-review{}'],
  ['bump placemyparents to 2.0', 'deploy{"name":"placemyparents","namespace":"apps","tag":"2.0"}!'],
];

for (const [text, want] of TABLE) {
  test(`"${text}" → ${typeof want === 'string' ? want.split('{')[0] : "I can't … yet"}`, async () => {
    const got = shape(await plan(text));
    if (typeof want === 'string') assert.is(got, want);
    else assert.match(got, want);
  });
}

test('the everyday status questions still go to the cluster overview', async () => {
  for (const text of ['is everything ok?', 'Show me cluster status', 'status of the nodes']) assert.is(shape(await plan(text)), 'cluster-status{}', text);
});

test.run();
