/**
 * Every seed command of scenarios.md with the plan a good model answers for it (and the re-plan, where the verdict decides),
 * valid against the real stack.yml catalog and matching what the embedded planner's intents build for the same command.
 */
import type { ClusterFacts, Plan, PlanRequest, Planner, StepOutcome } from '../../functions/planner/plan.js';
import type { ReplyScript } from './ollama-server.js';
import { pictureChange } from '../../functions/planner/result-picture.js';
import { cleanJson } from './model-outputs.js';

export interface ModelStep { id: string; fn: string; input: Record<string, unknown>; dependsOn: string[]; why?: string }
export interface SeedScenario {
  command: string;
  plan: { steps: ModelStep[]; intent?: string; question?: string };
  /** The answer to the re-plan after the first plan's results (review verdict → deploy). */
  replan?: { steps: ModelStep[]; intent?: string };
  /** What the first plan's steps report, to drive the re-plan. */
  verdict?: string;
}

const s = (id: string, fn: string, input: Record<string, unknown>, dependsOn: string[] = [], why?: string): ModelStep => ({ id, fn, input, dependsOn, ...(why ? { why } : {}) });

export const seedScenarios: SeedScenario[] = [
  { command: 'Show me cluster status', plan: { intent: 'cluster-status', steps: [s('s1', 'cluster-status', {})] } },
  { command: 'List all failing pods', plan: { intent: 'failing-pods', steps: [s('s1', 'failing-pods', {})] } },
  { command: 'Get logs from the api-server pod', plan: { intent: 'pod-logs', steps: [s('s1', 'pod-logs', { name: 'api-server', namespace: 'apps' })] } },
  { command: 'Deploy placemyparents version 2.0', plan: { intent: 'deploy', steps: [s('s1', 'deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0' }, [], 'set the image tag to 2.0 and wait for the rollout')] } },
  { command: 'Roll back the last deployment', plan: { intent: 'rollback', steps: [s('s1', 'rollback', {})] } },
  { command: 'Scale the web tier to 5 replicas', plan: { intent: 'scale', steps: [s('s1', 'scale', { selector: 'tier=web', namespace: 'web', replicas: 5 })] } },
  { command: 'Review the latest commit', plan: { intent: 'code-review', steps: [s('s1', 'code-review', {})] } },
  { command: 'Run tests on the staging branch', plan: { intent: 'run-tests', steps: [s('s1', 'run-tests', { branch: 'staging' })] } },
  { command: 'Check code coverage', plan: { intent: 'coverage', steps: [s('s1', 'coverage', {})] } },
  {
    // No version named: roll the current image out again, then check it (as the embedded planner does).
    command: 'Deploy my app and verify it works',
    plan: { intent: 'deploy-and-verify', steps: [s('s1', 'restart', { name: 'placemyparents', namespace: 'apps' }), s('s2', 'verify', { name: 'placemyparents', namespace: 'apps' }, ['s1'])] },
  },
  {
    command: 'Review the code and deploy if good',
    plan: { intent: 'review-then-deploy', steps: [s('s1', 'code-review', {}, [], 'the verdict decides whether to deploy')] },
    verdict: 'approve',
    replan: { intent: 'deploy-and-verify', steps: [s('r1', 'deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0' }, ['s1']), s('r2', 'verify', { name: 'placemyparents', namespace: 'apps' }, ['r1'])] },
  },
  { command: 'Alert me if any pod restarts more than 3 times', plan: { intent: 'monitor', steps: [s('s1', 'automate', { what: 'monitor', rule: 'restarts', threshold: 3, schedule: '*/5 * * * *', notify: 'slack' })] } },
  { command: 'Generate a weekly infrastructure report', plan: { intent: 'report', steps: [s('s1', 'automate', { what: 'report', schedule: '0 8 * * 1', notify: 'slack' })] } },
  {
    command: 'When main branch updates, test and deploy automatically',
    plan: { intent: 'ci-pipeline', steps: [s('s1', 'automate', { what: 'ci', branch: 'main', name: 'placemyparents', namespace: 'apps' })] },
  },
  { command: 'Run security scans on all container images', plan: { intent: 'security-audit', steps: [s('s1', 'security-audit', {})] } },
  {
    // "this" names no version: ask, as the embedded planner does (with a version, one deploy step per context).
    command: 'Deploy this to all 3 clusters',
    plan: { intent: 'multi-cluster-deploy', steps: [], question: 'Which version of placemyparents should I deploy to ganglion-sim, prod and staging? It runs placemyparents:1.4 now.' },
  },
  {
    command: 'Deploy placemyparents 2.0 to all 3 clusters',
    plan: {
      intent: 'multi-cluster-deploy',
      steps: ['ganglion-sim', 'prod', 'staging'].map((c, i) => s(`s${i + 1}`, 'deploy', { name: 'placemyparents', namespace: 'apps', tag: '2.0', cluster: c })),
    },
  },
  { command: 'Sync config from prod to staging', plan: { intent: 'config-sync', steps: [s('s1', 'config-sync', { from: 'prod', to: 'staging' })] } },
  { command: 'Analyze logs, find anomalies, suggest fixes', plan: { intent: 'analyze-logs', steps: [s('s1', 'analyze-logs', {})] } },
  {
    command: 'I keep having to manually check pod health. Can you automate that?',
    plan: { intent: 'monitor', steps: [s('s1', 'automate', { what: 'monitor', rule: 'pod-health', schedule: '*/5 * * * *', notify: 'slack' })] },
  },
];

/** The home lab seen through three kubeconfig contexts, as "all 3 clusters" and "prod to staging" need. */
export function threeClusterFacts(base: ClusterFacts): ClusterFacts {
  return { ...base, contexts: ['ganglion-sim', 'prod', 'staging'] };
}

/** A model that answers each seed command (and its re-plan) with the right plan, found by the COMMAND line. */
export const seedModel: ReplyScript = (call) => {
  const messages = Array.isArray(call.body?.messages) ? (call.body.messages as { content?: string }[]) : [];
  const prompt = messages.map((m) => m.content ?? '').join('\n');
  const command = /COMMAND: (.*)/.exec(prompt)?.[1]?.trim();
  const scenario = seedScenarios.find((x) => x.command === command);
  if (!scenario) return undefined;
  if (prompt.includes('RESULTS:')) return cleanJson(scenario.replan ?? { steps: [], intent: 'done' });
  return cleanJson(scenario.plan);
};

/**
 * Plays the run engine around a planner: plan, every step completes (a review reports `verdict`), re-plan while the
 * planner has more to add. Returns every step that ran, re-planned ones included.
 */
export async function playRun(planner: Planner, req: PlanRequest, verdict = 'approve'): Promise<Plan> {
  let plan = (await planner.plan(req)).plan;
  const results: StepOutcome[] = [];
  for (let round = 0; round < 3; round++) {
    const fresh = plan.steps.filter((s) => !results.some((r) => r.stepId === s.id));
    if (!fresh.length) break;
    for (const s of fresh) results.push({ stepId: s.id, fn: s.fn, status: 'completed', summary: `${s.fn} done`, data: s.fn === 'code-review' ? { verdict, findings: [] } : { ok: true } });
    const changes = results.filter((r) => fresh.some((s) => s.id === r.stepId)).flatMap((r) => {
      const why = pictureChange(r);
      return why ? [{ stepId: r.stepId, why }] : [];
    });
    if (!changes.length) break;
    const next = await planner.replan?.({ ...req, plan, results, changes });
    if (!next) break;
    plan = { ...next.plan, steps: [...plan.steps, ...next.plan.steps] };
  }
  return plan;
}
