/** Picks the model tier for a command: the smallest that fits its complexity, skipping models the server lacks. */
import type { FunctionMeta } from '../../../function-kit/function-module.js';

export interface Complexity {
  mutating: boolean;
  multiStep: boolean;
  code: boolean;
  /** 0 = a single read, up to 3; higher scores go to larger tiers. */
  score: number;
}

const MUTATING = /\b(deploy|roll ?back|rollback|undo|scale|restart|delete|remove|apply|sync|create|set|update|upgrade|install|automate|alert me|schedule|patch|fix)\b/i;
const CODE = /\b(review|tests?|coverage|commit|branch|code|lint|build|pull request|pr)\b/i;
const MULTI = /\b(and|then|after|if|once|verify|verifies|until|when|all \d+|every)\b|,\s*\w+/i;

/** A keyword classifier, helped by the catalog's own examples when a command echoes one closely. */
export function classifyCommand(text: string, catalog: FunctionMeta[] = []): Complexity {
  const lower = text.toLowerCase();
  const example = catalog.find((m) => m.examples.some((e) => e.toLowerCase() === lower.trim()));
  const mutating = example ? example.mutates || MUTATING.test(text) : MUTATING.test(text);
  const code = CODE.test(text);
  const multiStep = MULTI.test(text);
  return { mutating, multiStep, code, score: Number(mutating) + Number(multiStep) + Number(code) };
}

/** Model names as Ollama lists them: `name` alone means `name:latest`. */
export function sameModel(a: string, b: string): boolean {
  const norm = (m: string) => (m.includes(':') ? m : `${m}:latest`);
  return norm(a) === norm(b);
}

export interface Route {
  /** The model to ask first, or undefined when no configured model is on the server. */
  model?: string;
  /** The configured tier the complexity asked for (may be missing on the server). */
  wanted: string;
  /** Configured models the server does not have. */
  missing: string[];
}

/**
 * `tiers` are largest first. A single read goes to the smallest tier, each extra trait (mutating,
 * multi-step, code) one tier up. A missing tier is replaced by the nearest larger one that exists,
 * else the nearest smaller one.
 */
export function routeCommand(complexity: Complexity, tiers: string[], available: string[]): Route {
  const missing = tiers.filter((t) => !available.some((a) => sameModel(a, t)));
  const want = Math.max(0, tiers.length - 1 - complexity.score);
  const has = (i: number) => !missing.includes(tiers[i]);
  let pick: number | undefined;
  for (let i = want; i >= 0 && pick === undefined; i--) if (has(i)) pick = i;
  for (let i = want + 1; i < tiers.length && pick === undefined; i++) if (has(i)) pick = i;
  return { model: pick === undefined ? undefined : tiers[pick], wanted: tiers[want] ?? '', missing };
}

/** The next larger available tier after an invalid answer; the same model when it is already the largest. */
export function stepUp(current: string, tiers: string[], missing: string[]): string {
  const at = tiers.findIndex((t) => sameModel(t, current));
  for (let i = at - 1; i >= 0; i--) if (!missing.includes(tiers[i])) return tiers[i];
  return current;
}

/** The note a run carries when tiers are missing: which `ollama pull` would help. */
export function missingModelNote(missing: string[], host: string): string | undefined {
  if (!missing.length) return undefined;
  return `model${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not on the Ollama server at ${host}; run ${missing.map((m) => `"ollama pull ${m}"`).join(' and ')} there to use ${missing.length > 1 ? 'them' : 'it'}`;
}
