/** The always-on intents (monitors, stopping them, reports, CI on push) plan the automate step with the right rule and numbers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createEmbeddedPlanner } from '../embedded-planner.js';
import { homeLabFacts } from '../testing/home-lab-facts.js';

const planner = createEmbeddedPlanner();
async function shape(text: string): Promise<string> {
  const out = await planner.plan({ text, facts: homeLabFacts(), catalog: [], signal: new AbortController().signal });
  if (out.plan.question) return `? ${out.plan.question}`;
  return out.plan.steps.map((s) => `${s.fn}${JSON.stringify(s.input)}${s.mutates ? '!' : ''}`).join(' ');
}

const CASES: Array<[string, string]> = [
  ['Alert me if any pod restarts more than 5 times in apps', 'automate{"what":"monitor","rule":"restarts","schedule":"*/5 * * * *","notify":"slack","threshold":5,"namespace":"apps"}!'],
  ['tell me on the webhook when a pod is not ready for 10 minutes, check every 2 minutes', 'automate{"what":"monitor","rule":"not-ready","schedule":"*/2 * * * *","notify":"webhook","minutes":10}!'],
  ['notify me when a node goes down', 'automate{"what":"monitor","rule":"node-not-ready","schedule":"*/5 * * * *","notify":"slack"}!'],
  ['stop alerting me about pod restarts', 'automate{"what":"monitor","remove":true,"rule":"restarts","threshold":3}!'],
  ['turn off the pod health monitor', 'automate{"what":"monitor","remove":true,"rule":"pod-health"}!'],
  ['disable the node down alerts', 'automate{"what":"monitor","remove":true,"rule":"node-not-ready"}!'],
  ['make an infrastructure report now', 'report{"notify":"none"}'],
  ['slack me a daily cluster report', 'automate{"what":"report","schedule":"0 8 * * *","notify":"slack"}!'],
];

for (const [text, want] of CASES) {
  test(`"${text}" plans ${want.split('{')[0]}`, async () => {
    assert.is(await shape(text), want);
  });
}

test.run();
