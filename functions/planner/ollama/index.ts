/** The brain's public surface: the Ollama planner factory and what the run engine needs to build it from config. */
import type { RuntimeConfig } from '../../../kernel/config.js';
import { createLogger } from '../../../kernel/logger.js';
import type { Planner } from '../plan.js';
import { createOllamaPlanner, DEFAULT_BRAIN_BUDGETS, type BrainBudgets, type OllamaPlannerOptions } from './ollama-planner.js';

/** The Ollama planner as configured (OLLAMA_HOST, GANGLION_MODELS, GANGLION_BRAIN_*), or undefined when OLLAMA_HOST is unset. */
export function ollamaPlannerFromConfig(config: RuntimeConfig, fallback: Planner): Planner | undefined {
  if (!config.ollamaHost) return undefined;
  const log = createLogger({ name: 'brain', level: config.logLevel });
  // GANGLION_BRAIN_MAX_REPLANS goes to the run engine (handler.ts), which alone decides when to re-plan.
  const { maxReplans: _runEngines, ...budgets } = config.brain;
  return createOllamaPlanner({ host: config.ollamaHost, models: config.models, fallback, budgets, log });
}

export { createOllamaPlanner, DEFAULT_BRAIN_BUDGETS };
export type { BrainBudgets, OllamaPlannerOptions };
export { planJsonSchemaOf } from './plan-schema.js';
export { catalogLines } from './catalog-lines.js';
export { systemPrompt } from './plan-prompt.js';
export { classifyCommand, routeCommand } from './model-router.js';
export { redactSecrets, truncateBytes } from './untrusted-text.js';
