/**
 * The pre-approval policy ($GANGLION_HOME/policy.yaml or GANGLION_POLICY): which mutating steps may run without
 * a person saying yes (by function, namespace, cluster and limits such as a replica ceiling), which never run,
 * and whether a client's `yes` is honoured. No file = every change waits for a person.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as z from 'zod';
import { GanglionError } from '../../kernel/errors.js';
import { formatIssues } from '../../kernel/zod-issues.js';
import type { ChangeView } from '../../events/run-schema.js';

const names = z.array(z.string().min(1)).optional();
const rule = z.object({
  functions: names.describe('function names (deploy, scale, rollback, restart…); omitted or "*" = any'),
  namespaces: names.describe('namespaces; omitted = any'),
  clusters: names.describe('kubeconfig contexts; omitted = any'),
  maxReplicas: z.number().int().min(0).optional().describe('scale only up to this many replicas'),
}).strict();

export const policySchema = z.object({
  allowYes: z.boolean().default(true).describe("honour a client's yes (ganglion --yes)"),
  approve: z.array(rule).default([]).describe('steps matching any rule run without asking'),
  deny: z.array(rule).default([]).describe('steps matching any rule never run, even when approved'),
}).strict();

export type Policy = z.infer<typeof policySchema>;
export type PolicyRule = z.infer<typeof rule>;
export const EMPTY_POLICY: Policy = { allowYes: true, approve: [], deny: [] };

export function parsePolicy(text: string, file = 'policy.yaml'): Policy {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (cause) {
    throw new GanglionError(500, 'policy_invalid', `${file} is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const why = formatIssues(parsed.error, { root: '(top)' });
    throw new GanglionError(500, 'policy_invalid', `${file} is invalid: ${why}; fix it or remove it to approve every change by hand`);
  }
  return parsed.data;
}

/** Reads the policy file each time it is needed, so edits apply to the next run without a restart. */
export function loadPolicy(file: string): Policy {
  if (!file || !existsSync(file)) return EMPTY_POLICY;
  return parsePolicy(readFileSync(file, 'utf8'), file);
}

export interface StepFacts {
  fn: string;
  input: Record<string, unknown>;
  changes: ChangeView[];
  cluster: string;
}

const inList = (list: string[] | undefined, value: string | undefined) =>
  !list || list.includes('*') || (value !== undefined && list.includes(value));

function namespacesOf(step: StepFacts): string[] {
  const fromChanges = step.changes.map((c) => c.namespace).filter((n): n is string => typeof n === 'string');
  const fromInput = typeof step.input.namespace === 'string' ? [step.input.namespace] : [];
  return [...new Set([...fromInput, ...fromChanges])];
}

function replicasOf(step: StepFacts): number[] {
  const out = step.changes.filter((c) => c.field === 'replicas' && typeof c.after === 'number').map((c) => c.after as number);
  if (typeof step.input.replicas === 'number') out.push(step.input.replicas);
  return out;
}

function matches(r: PolicyRule, step: StepFacts): boolean {
  if (!inList(r.functions, step.fn)) return false;
  if (!inList(r.clusters, step.cluster)) return false;
  const nss = namespacesOf(step);
  // A rule limited to namespaces covers a step only when every namespace it touches is listed (and one is known).
  if (r.namespaces && (nss.length === 0 || !nss.every((ns) => inList(r.namespaces, ns)))) return false;
  if (r.maxReplicas !== undefined && replicasOf(step).some((n) => n > (r.maxReplicas as number))) return false;
  return true;
}

export type PolicyDecision = { verdict: 'approve' } | { verdict: 'deny'; reason: string } | { verdict: 'ask' };

export function decide(policy: Policy, step: StepFacts): PolicyDecision {
  const denied = policy.deny.find((r) => matches({ ...r, maxReplicas: undefined }, step));
  if (denied) return { verdict: 'deny', reason: `the policy forbids ${step.fn} in ${namespacesOf(step).join(', ') || 'this scope'}${step.cluster ? ` on ${step.cluster}` : ''}` };
  return policy.approve.some((r) => matches(r, step)) ? { verdict: 'approve' } : { verdict: 'ask' };
}
