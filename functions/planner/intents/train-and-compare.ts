/**
 * "Train this model, deploy it, A/B test against current": a Job runs the app repository's training script, the image
 * it names goes out as a canary beside the current version (with approval), test traffic goes through the Service for
 * a set time, and the run ends with the comparison from the apps' own metrics and the promote/abort question.
 */
import { step, tidy, type Intent } from './intent.js';
import { resolveTargets } from '../target-resolution.js';
import { runningCanaries } from './canary.js';
import type { DeploymentFact, Plan } from '../plan.js';

/** The test traffic of an A/B comparison: enough for the 50 requests per version the verdict needs at 20 %. */
export const AB_TRAFFIC = { requests: 300, seconds: 15 };

const VERDICT_WORDS: Record<string, string> = {
  'canary-worse': 'the new model is worse', 'canary-better': 'the new model is better',
  'no-clear-difference': 'no clear difference between the models', 'not-enough-traffic': 'not enough traffic to tell',
};

export const trainAndCompare: Intent = {
  name: 'train-and-compare',
  effect: 'change',
  examples: ['Train this model, deploy it, A/B test against current', 'retrain the model and A/B test it against the current one', 'train the model and compare it with production as a canary'],
  match(raw) {
    const text = tidy(raw);
    if (!/\b(re)?train(ing|ed)?\b/.test(text)) return undefined;
    return /\ba\/?b\b|\bab[- ]test|\bcompare|\bcanary\b|\bagainst\b/.test(text) ? { score: 0.97, entities: { percent: Number(/(\d{1,2})\s*%/.exec(text)?.[1] ?? 20) } } : undefined;
  },
  build(entities, facts, text): Plan {
    const pool = { ...facts, deployments: facts.deployments.filter((d) => !runningCanaries(facts).includes(d)) };
    const found = resolveTargets(/\b(my|our|the) (app|application|service)\b|\bdeploy (this|it)\b/i.test(text) ? text : `${text} my app`, undefined, pool, { single: true });
    if (found.kind === 'question') return { intent: 'train-and-compare', steps: [], question: found.question };
    const d = found.targets[0] as DeploymentFact;
    if (runningCanaries(facts).some((c) => c.name === `${d.name}-canary` && c.namespace === d.namespace)) {
      return { intent: 'train-and-compare', steps: [], question: `A canary of ${d.name} already runs; promote or abort it before testing a new model against the current one. Nothing was changed.` };
    }
    const target = { name: d.name, namespace: d.namespace };
    const percent = typeof entities.percent === 'number' && entities.percent >= 1 && entities.percent <= 50 ? entities.percent : 20;
    return {
      intent: 'train-and-compare',
      steps: [
        step('s1', 'train-model', { app: d.name, namespace: d.namespace }, { why: `a Job runs ${d.name}'s training script; it names the image that serves the new model` }),
        step('s2', 'canary', { action: 'start', ...target, image: '{{s1.data.image}}', percent }, { mutates: true, dependsOn: ['s1'], why: `the new model beside the current ${d.images[0] ?? 'version'} for ${percent}% of requests` }),
        step('s3', 'canary-status', { ...target, ...AB_TRAFFIC, minRequests: 50 }, { dependsOn: ['s2'], why: `${AB_TRAFFIC.requests} test requests through the Service over ${AB_TRAFFIC.seconds} s, then both versions compared from their own metrics` }),
      ],
    };
  },
  followUp(_entities, _facts, _text, results) {
    const ab = results.find((r) => r.fn === 'canary-status' && r.status === 'completed');
    const data = ab?.data as { verdict?: string; stable?: { version?: string }; canary?: { version?: string } } | undefined;
    if (!data?.verdict) return undefined;
    return {
      intent: 'train-and-compare', steps: [],
      conclusion: `A/B of the new model ${data.canary?.version ?? ''} against ${data.stable?.version ?? 'the current version'}: ${VERDICT_WORDS[data.verdict] ?? data.verdict}, from measured requests. Promote or abort? Say "Promote the canary" or "Abort the canary".`,
    };
  },
};
