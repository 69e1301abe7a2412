/** The messages the model reads: rules, a compact catalog, fenced cluster facts, the command; and the re-plan view. */
import type { Message } from 'ollama';
import type { FunctionMeta } from '../../../function-kit/function-module.js';
import type { CheckFact, ClusterFacts, Plan, StepOutcome } from '../plan.js';
import { catalogLines, checkLines } from './catalog-lines.js';
import { fenceUntrusted, type DataFence } from './untrusted-text.js';

const MAX_DEPLOYMENTS = 60;
const MAX_PODS = 15;

/** The system prompt: what a plan is, the functions, and why fenced text is data. */
export function systemPrompt(catalog: FunctionMeta[], fence: DataFence, missing: FunctionMeta[] = [], checks: CheckFact[] = []): string {
  return [
    'You are the planner of Ganglion, which runs a Kubernetes cluster. Turn the COMMAND into one plan that calls only the FUNCTIONS below. Answer with one JSON object and nothing else:',
    '{"steps":[{"id":"s1","fn":"<function>","input":{...},"dependsOn":[],"why":"<short reason>"}],"intent":"<label>"}',
    'Rules:',
    '- Use only the listed functions and their arguments, with the types shown ("?" = optional). Plan the whole command at once, fewest steps.',
    '- Deployment, namespace and cluster names must come from CLUSTER FACTS; a group such as "the web tier" becomes a label selector (tier=web) when the Deployments carry that label.',
    '- Steps run in parallel unless "dependsOn" lists earlier step ids whose results they need.',
    '- [mutates] functions change the cluster; a person approves them later. Never claim approval.',
    '- If the command is ambiguous (e.g. two Deployments could match), answer {"steps":[],"question":"<what to clarify>"}.',
    `- ${fence.rule}`,
    'FUNCTIONS:',
    ...catalogLines(catalog),
    ...checkLines(checks, catalog),
    // Named only: a command that needs one gets it in its plan, and the run answers how to deploy it instead of running.
    ...(missing.length ? [`NOT DEPLOYED (plan one only when the command cannot be done without it): ${missing.map((m) => m.name).join(', ')}`] : []),
  ].join('\n');
}

/** Cluster facts as names only, one compact line each — never raw objects. */
export function factsText(facts: ClusterFacts): string {
  if (facts.unavailable) return `cluster ${facts.cluster}: could not be read (${facts.unavailable})`;
  const lines = [`cluster: ${facts.cluster}; contexts: ${facts.contexts.join(', ') || facts.cluster}`, `namespaces: ${facts.namespaces.join(', ')}`];
  const deployments = facts.deployments.slice(0, MAX_DEPLOYMENTS).map((d) => {
    // app=<its own name> says nothing new; prefixed labels (app.kubernetes.io/…) are noise for planning.
    const labels = Object.entries(d.labels).filter(([k, v]) => !k.includes('/') && !(k === 'app' && v === d.name)).map(([k, v]) => `${k}=${v}`).join(',');
    const tag = d.images[0]?.split('/').pop() ?? '';
    return `${d.namespace}/${d.name} ${tag} ${d.ready}/${d.replicas}${labels ? ` [${labels}]` : ''}`;
  });
  lines.push(`deployments (namespace/name image ready/replicas [labels]):\n${deployments.join('\n')}`);
  if (facts.deployments.length > MAX_DEPLOYMENTS) lines.push(`…and ${facts.deployments.length - MAX_DEPLOYMENTS} more deployments`);
  const unhealthy = facts.pods.filter((p) => !p.ready || p.reason).slice(0, MAX_PODS);
  if (unhealthy.length) lines.push(`unhealthy pods:\n${unhealthy.map((p) => `${p.namespace}/${p.name} ${p.reason ?? p.phase} restarts=${p.restarts}`).join('\n')}`);
  return lines.join('\n');
}

/** The first (and usually only) call: system, then fenced facts and the command. */
export function planMessages({ text, catalog, missing = [], facts, fence, factsBytes }: { text: string; catalog: FunctionMeta[]; missing?: FunctionMeta[]; facts: ClusterFacts; fence: DataFence; factsBytes: number }): Message[] {
  return [
    { role: 'system', content: systemPrompt(catalog, fence, missing, facts.checks) },
    { role: 'user', content: `CLUSTER FACTS:\n${fenceUntrusted(fence, 'cluster facts', factsText(facts), factsBytes)}\nCOMMAND: ${text}` },
  ];
}

/** The one repair turn: the model's answer goes back with what was wrong with it. */
export function repairMessages(previous: Message[], answer: string, error: string): Message[] {
  return [
    ...previous,
    { role: 'assistant', content: answer.slice(0, 4000) },
    { role: 'user', content: `That answer cannot be used: ${error}. Answer again with the whole corrected plan as one JSON object, nothing else.` },
  ];
}

/** A re-plan: the command, the plan so far and each result, results fenced, redacted and bounded. */
export function replanMessages({ text, catalog, missing = [], facts, fence, plan, results, resultBytes, factsBytes }: {
  text: string; catalog: FunctionMeta[]; missing?: FunctionMeta[]; facts: ClusterFacts; fence: DataFence; plan: Plan; results: StepOutcome[]; resultBytes: number; factsBytes: number;
}): Message[] {
  const done = new Map(results.map((r) => [r.stepId, r]));
  const stepLines = plan.steps.map((s) => {
    const r = done.get(s.id);
    return `${s.id} ${s.fn} ${JSON.stringify(s.input)} → ${r ? r.status : 'not run'}`;
  });
  // Each result gets `resultBytes`, but all of them together at most three times that, so many steps cannot
  // push the prompt past the model's context window.
  const each = Math.max(512, Math.min(resultBytes, Math.floor((3 * resultBytes) / Math.max(1, results.length))));
  const resultBlocks = results.map((r) => {
    const body = [r.summary, r.error ? `error ${r.error.code}: ${r.error.message}` : '', r.data === undefined ? '' : JSON.stringify(r.data)].filter(Boolean).join('\n');
    return fenceUntrusted(fence, `result of ${r.stepId} (${r.fn}, ${r.status})`, body, each);
  });
  return [
    { role: 'system', content: systemPrompt(catalog, fence, missing, facts.checks) },
    {
      role: 'user',
      content: [
        `CLUSTER FACTS:\n${fenceUntrusted(fence, 'cluster facts', factsText(facts), factsBytes)}`,
        `COMMAND: ${text}`,
        `PLAN SO FAR:\n${stepLines.join('\n')}`,
        `RESULTS:\n${resultBlocks.join('\n')}`,
        'Plan only the steps still needed to finish the COMMAND given these results, with new ids (r1, r2, …); dependsOn may name steps above. Never repeat a step that already ran. If nothing more should run, answer {"steps":[],"intent":"done"}.',
      ].join('\n'),
    },
  ];
}
