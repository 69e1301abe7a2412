import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { advance, channelsLeft, emptyState, markDelivered, recordDelivery } from './incident-state.js';
import { evaluateRule, type ClusterSnapshot } from './evaluate-rule.js';

const f = (key: string, detail = 'x') => ({ key, subject: key, detail });

test('a finding alerts once, stays quiet while it lasts, and resolves once when it goes', () => {
  let s = emptyState();
  let r = advance(s, [f('a')], 't1');
  assert.equal(r.notices.map((n) => n.kind), ['alert']);
  s = markDelivered(r.state, r.notices);
  r = advance(s, [f('a', 'worse')], 't2');
  assert.equal(r.notices, []);
  assert.is(r.state.incidents.a?.detail, 'worse');
  s = markDelivered(r.state, r.notices);
  r = advance(s, [], 't3');
  assert.equal(r.notices.map((n) => [n.kind, n.incident.resolvedAt]), [['resolve', 't3']]);
  s = markDelivered(r.state, r.notices);
  assert.equal(advance(s, [], 't4').notices, []);
});

test('an undelivered alert is asked for again; an incident that ends before anyone heard of it ends quietly', () => {
  let r = advance(emptyState(), [f('a')], 't1');
  r = advance(r.state, [f('a')], 't2');
  assert.equal(r.notices.map((n) => n.kind), ['alert']);
  r = advance(r.state, [], 't3');
  assert.equal(r.notices, []);
});

test('an undelivered resolve notice is kept until it is delivered', () => {
  let r = advance(emptyState(), [f('a')], 't1');
  let s = markDelivered(r.state, r.notices);
  r = advance(s, [], 't2');
  r = advance(r.state, [], 't3');
  assert.equal(r.notices.map((n) => n.kind), ['resolve']);
  s = markDelivered(r.state, r.notices);
  assert.equal(s.pendingResolves, []);
});

test('an alert only Slack took is sent again to the webhook alone, and then stays quiet', () => {
  const all: Array<'slack' | 'webhook'> = ['slack', 'webhook'];
  let r = advance(emptyState(), [f('a')], 't1');
  let s = recordDelivery(r.state, r.notices[0]!, ['slack'], all);
  r = advance(s, [f('a')], 't2');
  assert.equal(r.notices.map((n) => channelsLeft(n, all)), [['webhook']]);
  s = recordDelivery(r.state, r.notices[0]!, ['webhook'], all);
  assert.equal(advance(s, [f('a')], 't3').notices, []);
});

const minutesAgo = (m: number) => new Date(Date.parse('2026-11-25T12:00:00Z') - m * 60_000).toISOString();
const snap = (over: Partial<ClusterSnapshot>): ClusterSnapshot => ({ pods: [], nodes: [], deployments: [], events: [], now: Date.parse('2026-11-25T12:00:00Z'), ...over });

test('not-ready counts a pod only after it has been unready for the rule\'s minutes', () => {
  const pod = (name: string, since: number) => ({ metadata: { name, namespace: 'web' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: minutesAgo(since) }] } });
  const found = evaluateRule({ kind: 'not-ready', minutes: 5 }, snap({ pods: [pod('old', 7), pod('new', 2)] }));
  assert.equal(found.map((x) => [x.subject, x.detail]), [['pod/old', 'pod old not Ready for 7 minutes (Running)']]);
});

test('deployment-unavailable and restarts: replicas missing for long enough, and old restarts of a healthy pod do not count', () => {
  const dep = { metadata: { name: 'web', namespace: 'web' }, spec: { replicas: 3 }, status: { availableReplicas: 1, conditions: [{ type: 'Available', status: 'False', lastTransitionTime: minutesAgo(3), message: 'Deployment does not have minimum availability.' }] } };
  assert.equal(evaluateRule({ kind: 'deployment-unavailable' }, snap({ deployments: [dep] })).map((x) => x.detail), ['deployment web has 1 of 3 replicas available: Deployment does not have minimum availability.']);
  const healthyOld = { metadata: { name: 'p', namespace: 'a' }, status: { conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', restartCount: 9, lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(120) } } }] } };
  const crashing = { metadata: { name: 'q', namespace: 'a' }, status: { conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'c', restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: minutesAgo(1) } } }] } };
  assert.equal(evaluateRule({ kind: 'restarts', threshold: 3 }, snap({ pods: [healthyOld, crashing] })).map((x) => x.subject), ['pod/q']);
});

test.run();
