/**
 * What an eval task is: a setup applied to a fresh home lab, a plain-language prompt, and a verify that reads the
 * cluster with the real kubectl afterwards (the style of k8s-ai-bench's setup.sh / verify.sh).
 */
import type { ClusterReader } from './kubectl.js';

export const CATEGORIES = ['create', 'fix', 'scale', 'debug', 'rbac', 'network-policy', 'rollout', 'refuse'] as const;
export type Tag = 'scenario' | 'paraphrase';
export type Category = (typeof CATEGORIES)[number];

/**
 * change: the cluster must end as the verify says, and every change must have waited for a person's approval.
 * read: nothing may change; the verify may compare the answer with facts kubectl reads at verify time.
 * refuse: nothing may change, and the answer must say honestly that it cannot (the verify checks what it leaked).
 */
export type TaskKind = 'change' | 'read' | 'refuse';

export interface VerifyContext {
  k: ClusterReader;
  /** The run's answer text: given to read and refuse tasks only, so a change is never judged by what the agent says. */
  answer?: string;
}

export interface EvalTask {
  /** Unique, kebab-case: what `npm run eval -- <filter>` matches. */
  name: string;
  category: Category;
  /** Extra filter words: "scenario" (a line of scenarios.md, as written), "paraphrase" (one said another way). */
  tags?: Tag[];
  kind: TaskKind;
  /** Manifests (YAML, `---` separated) applied with `kubectl apply -f -` before the prompt. */
  manifests?: string;
  /** kubectl argument lists run in order after the manifests. */
  setup?: string[][];
  /**
   * How long the home lab runs before the prompt, past its start and the setup. Questions about pod health wait for
   * its faults to show (api-server crashes after 2 s, image-resizer is OOM-killed after 3 s), so that what kubectl
   * reads at verify time is what the agent could have seen.
   */
  waitMs?: number;
  prompt: string;
  /** Each string returned is one way the cluster (or the answer) is not what a correct agent leaves; [] = passed. */
  verify(ctx: VerifyContext): Promise<string[]>;
}

/** Names a task set must keep unique, and the selection `npm run eval -- words…` makes (name, category or tag contains a word). */
export function selectTasks(tasks: EvalTask[], filters: string[]): EvalTask[] {
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.name)) throw new Error(`two eval tasks are named ${t.name}`);
    seen.add(t.name);
  }
  if (filters.length === 0) return tasks;
  return tasks.filter((t) => filters.some((f) => t.name.includes(f) || t.category === f || (t.tags ?? []).some((tag) => tag === f)));
}
