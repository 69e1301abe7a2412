/**
 * Bench: the brain's prompt size for the full catalog (tokens ≈ characters / 4) and model calls per seed command,
 * counted by the Ollama-compatible test server whose scripted model answers the right plan (a scripted stand-in, not a
 * real model), next to a ReAct formula (one call per step plus one; computed, no agent is run).
 */
import type { FunctionMeta } from '../function-kit/function-module.js';
import { homeLabFacts } from '../functions/planner/testing/home-lab-facts.js';
import { createOllamaPlanner } from '../functions/planner/ollama/ollama-planner.js';
import { planMessages } from '../functions/planner/ollama/plan-prompt.js';
import { planJsonSchemaOf } from '../functions/planner/ollama/plan-schema.js';
import { createDataFence } from '../functions/planner/ollama/untrusted-text.js';
import { startOllamaServer } from '../testing/ollama-server/ollama-server.js';
import { loadStackCatalog } from '../testing/ollama-server/seed-catalog.js';
import { playRun, seedModel, seedScenarios, threeClusterFacts } from '../testing/ollama-server/seed-scenarios.js';
import type { BenchSection } from './bench-section.js';

const TOKEN_GOAL = 2000;
const tokens = (chars: number) => Math.ceil(chars / 4);
const TITLE = 'Brain (scripted stand-in, not a real model): prompt size and model calls per command, next to a ReAct formula (steps + 1; no agent was run)';

function promptChars(catalog: FunctionMeta[], text: string): { total: number; system: number } {
  const messages = planMessages({ text, catalog, facts: threeClusterFacts(homeLabFacts()), fence: createDataFence(), factsBytes: 6144 });
  return { total: messages.reduce((n, m) => n + m.content.length, 0), system: messages[0].content.length };
}

async function callsPerScenario(catalog: FunctionMeta[]): Promise<{ command: string; calls: number; react: number; promptChars: number; limit: number }[]> {
  const tiers = ['llama3.1:405b', 'llama3.1:70b', 'llama3.1:8b'];
  const srv = await startOllamaServer({ models: tiers.map((name) => ({ name })) });
  srv.respond(seedModel);
  const planner = createOllamaPlanner({ host: srv.url, models: tiers });
  const facts = threeClusterFacts(homeLabFacts());
  const out = [];
  try {
    for (const sc of seedScenarios) {
      const before = srv.modelCalls().length;
      const req = { text: sc.command, catalog, facts, signal: new AbortController().signal };
      const plan = await playRun(planner, req, sc.verdict);
      const calls = srv.modelCalls().slice(before);
      // Deploy-and-verify style requests may take a re-plan (the verdict decides); the rest must plan in one call.
      const limit = sc.replan || /verify|if good|test and deploy/i.test(sc.command) ? 2 : 1;
      out.push({ command: sc.command, limit, calls: calls.length, react: plan.steps.length + 1, promptChars: Math.max(...calls.map((c) => c.promptChars)) });
    }
  } finally {
    await srv.stop();
  }
  return out;
}

export async function run(): Promise<BenchSection> {
  const rows: BenchSection['rows'] = [];
  const notes: string[] = [];
  let catalog: FunctionMeta[];
  try {
    catalog = await loadStackCatalog();
  } catch (err) {
    return { title: TITLE, rows, notes: [`stack.yml catalog could not be loaded (run npm run build first): ${(err as Error).message}`] };
  }
  const p = promptChars(catalog, 'Deploy placemyparents version 2.0');
  rows.push({ name: `plan prompt, stack.yml catalog (${catalog.length} functions) + home-lab facts + command`, value: tokens(p.total), unit: 'tokens', goal: `≤ ${TOKEN_GOAL}`, ok: tokens(p.total) <= TOKEN_GOAL });
  rows.push({ name: '  of which system prompt (rules + catalog lines)', value: tokens(p.system), unit: 'tokens' });
  notes.push(`stack.yml functions in the catalog: ${catalog.map((m) => m.name).join(', ')}`);
  rows.push({ name: 'format JSON schema (Ollama turns it into a grammar; not prompt text)', value: tokens(JSON.stringify(planJsonSchemaOf(catalog)).length), unit: 'tokens' });

  const scenarios = await callsPerScenario(catalog);
  for (const s of scenarios) {
    rows.push({ name: `scripted stand-in model calls: "${s.command}" (ReAct formula: ${s.react})`, value: s.calls, unit: 'calls', goal: `≤ ${s.limit}`, ok: s.calls <= s.limit });
  }
  const total = scenarios.reduce((n, s) => n + s.calls, 0);
  const react = scenarios.reduce((n, s) => n + s.react, 0);
  rows.push({ name: `scripted stand-in model calls, all ${scenarios.length} seed commands`, value: total, unit: 'calls' });
  rows.push({ name: 'ReAct formula, same commands (steps + 1 each; a count, not a measured agent)', value: react, unit: 'calls' });
  rows.push({ name: 'ratio scripted stand-in / ReAct formula', value: Number((total / react).toFixed(2)), unit: '×' });
  rows.push({ name: 'scripted stand-in: largest prompt sent in these runs (re-plans included)', value: tokens(Math.max(...scenarios.map((s) => s.promptChars))), unit: 'tokens', goal: `≤ ${TOKEN_GOAL}`, ok: Math.max(...scenarios.map((s) => s.promptChars)) / 4 <= TOKEN_GOAL });
  notes.push(
    'Not a measurement of a real model: calls and prompts are counted by the Ollama-compatible test server (testing/ollama-server), driven by the real ollama client, whose scripted model answers the right plan for each known command; a real model needs at least as many calls (a repair adds one).',
    'Tokens are characters / 4, not a model\'s tokenizer.',
    'ReAct formula = one model call per tool call plus a final answer (as kubectl-ai, HolmesGPT and CrewAI agents run), computed from each plan\'s steps: no ReAct agent was run, and a real one usually explores more.',
    'The catalog is the real one (stack.yml, each function\'s schema.ts meta), rendered by functions/planner/ollama/catalog-lines.ts; tuning arguments (timeoutSeconds, …) and dryRun stay out of the prompt but in the schema.',
  );
  return { title: TITLE, rows, notes };
}
