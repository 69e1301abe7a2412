/**
 * Bench: the brain's prompt size for the full catalog (tokens ≈ characters / 4) and model calls per seed command,
 * counted by the Ollama-compatible test server, next to a ReAct baseline (one call per step plus one).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../runtime/catalog.js';
import type { FunctionMeta } from '../runtime/function-module.js';
import { loadStack } from '../stack/stack-file.js';
import { homeLabFacts } from '../functions/planner/home-lab-facts.fixture.js';
import { createOllamaPlanner } from '../functions/planner/ollama/ollama-planner.js';
import { planMessages } from '../functions/planner/ollama/plan-prompt.js';
import { planJsonSchemaOf } from '../functions/planner/ollama/plan-schema.js';
import { createDataFence } from '../functions/planner/ollama/untrusted-text.js';
import { startOllamaServer } from '../test/ollama-server/ollama-server.js';
import { seedCatalog } from '../test/ollama-server/seed-catalog.js';
import { playRun, seedModel, seedScenarios, threeClusterFacts } from '../test/ollama-server/seed-scenarios.js';
import type { BenchSection } from './bench-section.js';


const TOKEN_GOAL = 2000;
const tokens = (chars: number) => Math.ceil(chars / 4);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function promptChars(catalog: FunctionMeta[], text: string): { total: number; system: number } {
  const messages = planMessages({ text, catalog, facts: threeClusterFacts(homeLabFacts()), fence: createDataFence(), factsBytes: 6144 });
  return { total: messages.reduce((n, m) => n + m.content.length, 0), system: messages[0].content.length };
}

async function stackCatalog(): Promise<FunctionMeta[] | string> {
  try {
    const catalog = await loadCatalog(loadStack(path.join(root, 'stack.yml'), {}), path.join(root, 'dist'));
    return catalog.filter((m) => m.name !== 'planner');
  } catch (err) {
    return (err as Error).message;
  }
}

async function callsPerScenario(): Promise<{ command: string; calls: number; react: number; promptChars: number; limit: number }[]> {
  const tiers = ['llama3.1:405b', 'llama3.1:70b', 'llama3.1:8b'];
  const srv = await startOllamaServer({ models: tiers.map((name) => ({ name })) });
  srv.respond(seedModel);
  const planner = createOllamaPlanner({ host: srv.url, models: tiers });
  const facts = threeClusterFacts(homeLabFacts());
  const out = [];
  try {
    for (const sc of seedScenarios) {
      const before = srv.modelCalls().length;
      const req = { text: sc.command, catalog: seedCatalog, facts, signal: new AbortController().signal };
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
  const seed = promptChars(seedCatalog, 'Deploy placemyparents version 2.0');
  rows.push({ name: `plan prompt, full catalog stand-in (${seedCatalog.length} functions) + home-lab facts + command`, value: tokens(seed.total), unit: 'tokens', goal: `≤ ${TOKEN_GOAL}`, ok: tokens(seed.total) <= TOKEN_GOAL });
  rows.push({ name: '  of which system prompt (rules + catalog lines)', value: tokens(seed.system), unit: 'tokens' });
  const real = await stackCatalog();
  if (typeof real === 'string') notes.push(`stack.yml catalog not measured: ${real}`);
  else {
    const p = promptChars(real, 'Deploy placemyparents version 2.0');
    rows.push({ name: `plan prompt, stack.yml catalog as built now (${real.length} functions)`, value: tokens(p.total), unit: 'tokens', goal: `≤ ${TOKEN_GOAL}`, ok: tokens(p.total) <= TOKEN_GOAL });
    notes.push(`stack.yml functions measured: ${real.map((m) => m.name).join(', ') || '(none yet)'}`);
  }
  rows.push({ name: 'format JSON schema (Ollama turns it into a grammar; not prompt text)', value: tokens(JSON.stringify(planJsonSchemaOf(seedCatalog)).length), unit: 'tokens' });

  const scenarios = await callsPerScenario();
  for (const s of scenarios) {
    rows.push({ name: `model calls: "${s.command}" (ReAct baseline ${s.react})`, value: s.calls, unit: 'calls', goal: `≤ ${s.limit}`, ok: s.calls <= s.limit });
  }
  const total = scenarios.reduce((n, s) => n + s.calls, 0);
  const react = scenarios.reduce((n, s) => n + s.react, 0);
  rows.push({ name: `model calls, all ${scenarios.length} seed commands`, value: total, unit: 'calls' });
  rows.push({ name: 'ReAct baseline, same commands (steps + 1 each)', value: react, unit: 'calls' });
  rows.push({ name: 'ratio Ganglion / ReAct', value: Number((total / react).toFixed(2)), unit: '×' });
  rows.push({ name: 'largest prompt sent in these runs (re-plans included)', value: tokens(Math.max(...scenarios.map((s) => s.promptChars))), unit: 'tokens', goal: `≤ ${TOKEN_GOAL}`, ok: Math.max(...scenarios.map((s) => s.promptChars)) / 4 <= TOKEN_GOAL });
  notes.push(
    'Calls are counted by the Ollama-compatible test server (test/ollama-server) driven by the real ollama client; the scripted model answers the right plan, so these are lower bounds for a real model (a repair adds one call).',
    'ReAct baseline = one model call per tool call plus a final answer, as kubectl-ai, HolmesGPT and CrewAI agents run; a real ReAct agent usually explores more.',
    'The full-catalog stand-in (test/ollama-server/seed-catalog.ts) models every function the issues describe; the stack.yml row measures what is built today.',
  );
  return { title: 'Brain: prompt size and model calls per command (vs ReAct)', rows, notes };
}
