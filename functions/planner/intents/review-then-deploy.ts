/** "Review the code and deploy if good": a review Job first; only its approving verdict adds deploy and verify. */
import { deployEntities, planDeploy } from './deploy.js';
import { step, tidy, type Intent, type IntentMatch } from './intent.js';
import { mentionedDeployments } from '../target-resolution.js';
import type { ClusterFacts, PlanStep } from '../plan.js';
import { verdictOf } from '../result-picture.js';
import { verifyOrUndo } from './verify-or-undo.js';

const GOOD = /^(approve|approved|pass|passed|good|ok|lgtm|accept)$/i;

/** "review requested changes (2 findings)": the verdict as a person says it, with the number of findings. */
function verdictText(verdict: string, data: unknown): string {
  const findings = (data as { findings?: unknown }).findings;
  const n = Array.isArray(findings) ? ` (${findings.length} finding${findings.length === 1 ? '' : 's'})` : '';
  return `${/^request[-_ ]?changes$/i.test(verdict) ? 'review requested changes' : `review verdict "${verdict}"`}${n}`;
}

/** The review reads the app's repository, so with no Deployment named ("review code and deploy if good") the app is deployed. */
function deployText(text: string, entities: IntentMatch['entities'], facts: ClusterFacts): string {
  const stripped = text.replace(/\breview\w*\b/gi, '');
  const named = mentionedDeployments(stripped, facts.deployments).length > 0 || typeof entities.image === 'string' || typeof entities.phrase === 'string';
  return named ? stripped : `${stripped} my app`;
}

export const reviewThenDeploy: Intent = {
  name: 'review-then-deploy',
  effect: 'change',
  examples: ['Review the code and deploy if good', 'review code and deploy if good', 'review the latest commit and ship placemyparents 2.0 if it passes', 'deploy placemyparents 2.0 if the review is ok', 'code review then deploy if approved'],
  match(raw) {
    const text = tidy(raw);
    if (!/\breview\b/.test(text) || !/\b(deploy|ship|release|roll ?out)\b/.test(text)) return undefined;
    return { score: 0.95, entities: deployEntities(text.replace(/\b(review\w*|code|commit|latest|the|and|then|if|it|is|good|ok|passes|approved)\b/g, ' ').replace(/\s+/g, ' ')) };
  },
  build(entities, facts, text) {
    // Decide now what would be deployed, so the question (if any) comes before the review runs.
    const planned = planDeploy(entities, facts, deployText(text, entities, facts), 1, { redeploy: true });
    if (planned.kind === 'question') return { intent: 'review-then-deploy', steps: [], question: planned.question };
    return { intent: 'review-then-deploy', steps: [step('s1', 'code-review', {}, { why: `the verdict decides whether ${planned.target.name} is deployed` })] };
  },
  followUp(entities, facts, text, results, plan) {
    if (plan.steps.some((s) => s.fn === 'deploy' || s.id.endsWith('deploy'))) return undefined;
    const review = results.find((r) => r.fn === 'code-review' && r.status === 'completed');
    const verdict = verdictOf(review?.data);
    if (verdict === undefined) return undefined;
    const planned = planDeploy(entities, facts, deployText(text, entities, facts), 1, { redeploy: true });
    if (!GOOD.test(verdict)) {
      const target = planned.kind === 'question' ? '' : ` ${planned.target.name}`;
      return { intent: 'review-then-deploy', steps: [], conclusion: `${verdictText(verdict, review?.data)};${target} not deployed` };
    }
    if (planned.kind === 'question') return undefined;
    const d = planned.target;
    const deploy: PlanStep = { ...(planned.steps[0] as PlanStep), id: 'deploy', dependsOn: [review?.stepId ?? 's1'] };
    return { intent: 'review-then-deploy', steps: [deploy, ...verifyOrUndo(deploy, d, { verify: 'verify', undo: 'undo', reverify: 'reverify' })] };
  },
};
