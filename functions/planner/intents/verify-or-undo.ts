/**
 * Deploy → verify, and what undoes the deploy if verify fails: a compensating deploy of the image the Deployment
 * runs now (onFailureOf the verify step), then a verify of that. The person approves "deploy and verify, rolling back
 * if verify fails" once, with the plan; the undo runs only if verify fails and is skipped otherwise.
 */
import { step } from './intent.js';
import type { DeploymentFact, PlanStep, StepOutcome } from '../plan.js';

export interface VerifyIds { verify: string; undo: string; reverify: string }

/** The image the deploy step replaces (the container it changes), or undefined when that cannot be told from the facts. */
function imageBefore(deploy: PlanStep, d: DeploymentFact): { image: string; container?: string } | undefined {
  const named = typeof deploy.input.container === 'string' ? deploy.input.container : undefined;
  const i = named ? d.containers.indexOf(named) : d.containers.length === 1 ? 0 : d.containers.indexOf(d.name);
  const image = d.images[i];
  if (i < 0 || !image) return undefined;
  return { image, ...(d.containers.length > 1 ? { container: d.containers[i] } : {}) };
}

/** A restart, or a deploy to what already runs, has nothing to undo: then only verify. */
export function verifyOrUndo(deploy: PlanStep, d: DeploymentFact, ids: VerifyIds): PlanStep[] {
  const target = { name: d.name, namespace: d.namespace };
  const verify = step(ids.verify, 'verify', target, { dependsOn: [deploy.id], why: 'a test Job checks pods Ready, restarts stable and the Service answers' });
  const before = deploy.fn === 'deploy' ? imageBefore(deploy, d) : undefined;
  const after = typeof deploy.input.image === 'string' ? deploy.input.image : typeof deploy.input.tag === 'string' && before ? `${before.image.replace(/:[^:/]+$/, '')}:${deploy.input.tag}` : undefined;
  if (!before || !after || after === before.image) return [verify];
  const shortBefore = before.image.split('/').pop() ?? before.image;
  return [
    verify,
    { ...step(ids.undo, 'deploy', { ...target, image: before.image, ...(before.container ? { container: before.container } : {}) }, { mutates: true, dependsOn: [deploy.id], why: `roll back to ${shortBefore}, what serves now, if verify fails` }), onFailureOf: ids.verify },
    step(ids.reverify, 'verify', target, { dependsOn: [ids.undo], why: `check ${shortBefore} serves again after the rollback` }),
  ];
}

/** The smoke test of a verify result as one phrase: "HTTP 200 in 6 ms". */
function smokeOf(r: StepOutcome | undefined): string | undefined {
  const smoke = (r?.data as { smoke?: { httpStatus?: number; ms?: number } } | undefined)?.smoke;
  return smoke?.httpStatus !== undefined ? `HTTP ${smoke.httpStatus} in ${smoke.ms ?? '?'} ms` : undefined;
}

/** The line the run ends with once verify failed: rolled back and serving again, or what went wrong with the undo. */
export function undoConclusion(plan: { steps: PlanStep[] }, results: StepOutcome[], d: { name: string }): string | undefined {
  const undo = plan.steps.find((s) => s.onFailureOf !== undefined);
  const verify = results.find((r) => r.stepId === undo?.onFailureOf);
  if (!undo || verify?.status !== 'failed') return undefined;
  const by = new Map(results.map((r) => [r.stepId, r]));
  const undone = by.get(undo.id);
  const image = String(undo.input.image ?? '').split('/').pop();
  if (!undone) return undefined;
  if (undone.status === 'failed') return `verify failed and the rollback to ${image} failed too: ${undone.error?.message ?? undone.summary}`;
  const reverify = results.find((r) => r.fn === 'verify' && plan.steps.find((s) => s.id === r.stepId)?.dependsOn.includes(undo.id));
  if (reverify?.status === 'completed') return `verify failed, so ${d.name} was rolled back under the same approval: ${image} is serving again (smoke test ${smokeOf(reverify) ?? 'passed'})`;
  if (reverify?.status === 'failed') return `verify failed, so ${d.name} was rolled back to ${image}, but that does not verify either: ${reverify.error?.message ?? ''}`;
  return `verify failed, so ${d.name} was rolled back to ${image}`;
}
