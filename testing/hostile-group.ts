/**
 * A group of hostile cases as one uvu suite: one test per case (so a failure names it), with the cluster's Deployments
 * and Runs read before the group and checked after it, and /healthz asked last.
 */
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HostileStack } from './hostile-stack.js';

export interface HostileCase { name: string; run: () => Promise<void> }

export interface GroupOptions {
  /** The group starts runs on purpose (approvals); then only Deployments are compared, by `expectDeployments`. */
  runsMayStart?: boolean;
  /** What the Deployments must be after the group, from what they were (default: exactly as before). */
  expectDeployments?: (before: string[]) => string[];
}

/** Registers the cases; the caller runs the returned suite. */
export function hostileGroup(name: string, stack: () => HostileStack, cases: HostileCase[], opts: GroupOptions = {}): Test {
  const test = suite(name);
  let deployments: string[] = [];
  let runs: string[] = [];
  test.before(async () => {
    deployments = await stack().deployments();
    runs = await stack().runs();
  });
  for (const c of cases) test(c.name, c.run);
  test(`after the ${cases.length} ${name} cases: Deployments as expected, no run started unless meant to, /healthz 200`, async () => {
    const want = opts.expectDeployments ? opts.expectDeployments(deployments) : deployments;
    assert.equal(await stack().deployments(), want, 'the cluster\'s Deployments (generation, replicas, images)');
    if (!opts.runsMayStart) assert.equal(await stack().runs(), runs, 'no run started');
    const health = await stack().send('GET', '/healthz');
    assert.is(health.status, 200, 'the gateway still serves');
  });
  return test;
}

/** The error code of a JSON error answer ({"error":{"code"}}), or the first 120 characters of any other body. */
export function codeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string } };
    return parsed.error?.code ?? body.slice(0, 120);
  } catch {
    return body.slice(0, 120);
  }
}
