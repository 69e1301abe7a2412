/**
 * The pre-approval policy, from the ApprovalPolicy objects in the state namespace (k8s/examples/approval-policy.yaml):
 * which mutating steps may run without a person saying yes (by function, namespace, cluster and limits such as a
 * replica ceiling), which never run, and whether a client's `yes` is honoured. No object = every change waits for a person.
 */
import * as z from 'zod';
import type { GanglionObject, StateClient } from '../../cluster-state/ganglion-objects.js';
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

/** The spec of one ApprovalPolicy object. */
export const policySchema = z.object({
  allowYes: z.boolean().default(true).describe("honour a client's yes (ganglion --yes)"),
  approve: z.array(rule).default([]).describe('steps matching any rule run without asking'),
  deny: z.array(rule).default([]).describe('steps matching any rule never run, even when approved'),
}).strict();

export type Policy = z.infer<typeof policySchema>;
export type PolicyRule = z.infer<typeof rule>;
export type PolicyObject = GanglionObject<Record<string, unknown>>;
export const EMPTY_POLICY: Policy = { allowYes: true, approve: [], deny: [] };

/** One object's spec as a policy; `source` names the object in the error. */
export function parsePolicy(spec: unknown, source: string): Policy {
  const parsed = policySchema.safeParse(spec ?? {});
  if (!parsed.success) {
    const why = formatIssues(parsed.error, { root: '(top)' });
    throw new GanglionError(500, 'policy_invalid', `${source} is invalid: ${why}; fix it or delete it to approve those changes by hand — the planner pre-approves nothing until then`);
  }
  return parsed.data;
}

/** All objects as one policy: approve and deny lists joined; a client's yes counts unless any object says allowYes: false. */
export function combinePolicies(objects: PolicyObject[], namespace: string): Policy {
  const parts = objects.map((o) => parsePolicy(o.spec, `ApprovalPolicy ${o.metadata.name} (kubectl edit approvalpolicy ${o.metadata.name} -n ${namespace})`));
  return {
    allowYes: parts.every((p) => p.allowYes),
    approve: parts.flatMap((p) => p.approve),
    deny: parts.flatMap((p) => p.deny),
  };
}

/** Reads the objects each time it is needed, so a change applies to the next decision without a restart. */
export async function loadPolicy(state: StateClient, signal?: AbortSignal): Promise<Policy> {
  return combinePolicies(await state.listAll<PolicyObject>('approvalpolicies', {}, signal), state.namespace);
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
