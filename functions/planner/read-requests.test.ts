/** Ordinary read requests and scale phrasings a new user tries: each gets the read or change that answers it, or an honest "I can't …". */
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
  ['which nodes are under memory pressure?', 'kube-top{"what":"nodes"}'],
  ['any nodes with disk pressure?', 'kube-top{"what":"nodes"}'],
  ['describe the api-server deployment', 'kube-get{"kind":"deployments","name":"api-server","namespace":"apps","describe":true}'],
  ['describe deployment frontend', 'kube-get{"kind":"deployments","name":"frontend","namespace":"web","describe":true}'],
  ['describe node pi-2', 'kube-get{"kind":"nodes","name":"pi-2","describe":true}'],
  ['list all deployments', 'kube-get{"kind":"deployments"}'],
  ['show me the deployments', 'kube-get{"kind":"deployments"}'],
  ['get pods in namespace apps with label app=web', 'kube-get{"kind":"pods","namespace":"apps","labelSelector":"app=web"}'],
  ['list the pods on node pi-2', 'kube-get{"kind":"pods","fieldSelector":"spec.nodeName=pi-2"}'],
  ['show me the configmaps in apps', 'kube-get{"kind":"configmaps","namespace":"apps"}'],
  ['list the CRDs', 'kube-get{"kind":"customresourcedefinitions"}'],
  ['kubectl get svc -n web', 'kube-get{"kind":"services","namespace":"web"}'],
  ['what network policies are there in data', 'kube-get{"kind":"networkpolicies","namespace":"data"}'],
  ['show me the secrets in apps', /^\? I can't show Secrets; Ganglion never reads them, not even their names, and nothing was changed\. I can list the ConfigMaps/],
  ['list all secrets', /^\? I can't show Secrets/],
  ['top pods in apps', 'kube-top{"what":"pods","namespace":"apps","sortBy":"memory"}'],
  ['which pods use the most memory?', 'kube-top{"what":"pods","sortBy":"memory"}'],
  ['which pods are using the most cpu', 'kube-top{"what":"pods","sortBy":"cpu"}'],
  ['top nodes', 'kube-top{"what":"nodes"}'],
  ['is grafana up?', 'cluster-status{"namespace":"monitoring","name":"grafana"}'],
  ['is the notifier running', 'cluster-status{"namespace":"apps","name":"notifier"}'],
  ['show me the events for api-server', 'kube-events{"name":"api-server","namespace":"apps"}'],
  ['what changed in the last hour?', 'kube-events{"sinceSeconds":3600}'],
  ['what happened in the past 30 minutes in web', 'kube-events{"sinceSeconds":1800,"namespace":"web"}'],
  ['warning events in apps', 'kube-events{"warningsOnly":true,"namespace":"apps"}'],
  ['events of node pi-2', 'kube-events{"name":"pi-2","kind":"Node"}'],
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
