/**
 * A run as the planner's HTTP API answers it (functions/planner/http-api.md): the run, its steps, each step's
 * changes, the approval it waits for, and the events of its stream. The planner, its OpenAPI document, the CLI
 * (types only) and every fake planner use this one definition; strict, so a field nobody defined fails a test.
 */
import * as z from 'zod';
import { change } from './change.js';

export const runStatus = z.enum(['running', 'awaiting-approval', 'completed', 'failed', 'rejected', 'needs-input']);
export const stepStatus = z.enum(['pending', 'running', 'completed', 'failed', 'skipped', 'awaiting-approval', 'rejected']);
const problem = z.strictObject({ code: z.string(), message: z.string() });

/** One planned change as a person reads it, tied to the step that makes it. */
export const changeViewSchema = change.extend({
  stepId: z.string(),
  fn: z.string(),
  text: z.string().describe('image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)'),
});

/** A step as a planner plans it. */
export const planStepSchema = z.strictObject({
  id: z.string().describe('unique within the plan, e.g. "s1"'),
  fn: z.string().describe('function name from the catalog (stack.yml)'),
  input: z.record(z.string(), z.unknown()).describe("input as the function's schema accepts it"),
  dependsOn: z.array(z.string()).describe('step ids that must complete first; steps without pending dependencies run in parallel'),
  mutates: z.boolean().describe('changes the cluster: dry-run first, then runs only when approved'),
  why: z.string().optional().describe('one line: why this step is in the plan'),
  onFailureOf: z.string().optional().describe('a compensating step: runs only if this earlier step fails (e.g. roll back when verify fails), is skipped otherwise; approved with the rest of the plan'),
});

/** A plan step as a run shows it: the step itself plus how it went. */
export const stepViewSchema = planStepSchema.extend({
  status: stepStatus,
  summary: z.string().optional(),
  data: z.unknown().optional(),
  error: problem.optional(),
  changes: z.array(changeViewSchema).optional().describe('for mutating steps: the changes the dry run showed, then the ones applied'),
  approvedBy: z.string().optional().describe('the authenticated principal who approved (by token or by a yes), or policy'),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

export const approvalSchema = z.strictObject({
  token: z.string().optional().describe('single-use; only in the answer that stopped for approval'),
  changes: z.array(changeViewSchema),
  approveUrl: z.string(),
  rejectUrl: z.string(),
  expiresAt: z.string(),
});

export const runViewSchema = z.strictObject({
  runId: z.string(),
  status: runStatus,
  summary: z.string().describe('one line a person reads'),
  text: z.string().describe('the command'),
  client: z.string().describe('the authenticated principal who started it (the audit log names it)'),
  planner: z.string().describe("'embedded' or the model that planned"),
  intent: z.string().optional(),
  question: z.string().optional().describe('set when the request was ambiguous; nothing ran'),
  steps: z.array(stepViewSchema),
  data: z.record(z.string(), z.unknown()).describe('step id → its data'),
  approval: approvalSchema.optional().describe('present while status is awaiting-approval'),
  rejectedBy: z.string().optional().describe('the authenticated principal who turned the planned changes down'),
  error: problem.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  notes: z.array(z.string()).optional(),
  conclusion: z.string().optional().describe('why the run ended where it did (e.g. "review requested changes (2 findings); placemyparents not deployed"); also in summary'),
});

export const runListSchema = z.strictObject({
  runs: z.array(runViewSchema),
  unreadable: z.array(z.strictObject({ runId: z.string(), error: z.string() })).optional()
    .describe('Run objects that do not hold a valid run (edited by hand), by name and what is wrong; the other runs still list'),
});

/** What every route answers when it refuses: 400, 403, 404, 409. */
export const errorBodySchema = z.strictObject({ error: problem.extend({ details: z.record(z.string(), z.unknown()).optional() }) });

/** The `data:` of each event on /runs/<id>/events, by event name. */
export const runEventSchemas = {
  plan: z.strictObject({ runId: z.string(), planner: z.string(), intent: z.string().optional(), steps: z.array(stepViewSchema) }),
  step: z.strictObject({ runId: z.string(), stepId: z.string(), fn: z.string(), status: stepStatus, summary: z.string().optional() }),
  'awaiting-approval': z.strictObject({ runId: z.string(), changes: z.array(changeViewSchema), approveUrl: z.string(), token: z.string().optional() }),
  done: runViewSchema,
};

export type RunStatus = z.infer<typeof runStatus>;
export type StepStatus = z.infer<typeof stepStatus>;
export type ChangeView = z.infer<typeof changeViewSchema>;
export type PlanStep = z.infer<typeof planStepSchema>;
export type StepView = z.infer<typeof stepViewSchema>;
export type RunView = z.infer<typeof runViewSchema>;
export type RunEvent = { [E in keyof typeof runEventSchemas]: { event: E; data: z.infer<(typeof runEventSchemas)[E]> } }[keyof typeof runEventSchemas];

/**
 * A run as the planner stores it (status.record of its Run object): the view plus what the engine needs to go on.
 * Every read checks it, so a Run object edited by hand into another shape is refused by name, not half-used.
 */
export const stepRecordSchema = stepViewSchema.extend({
  previewed: z.boolean().optional().describe('the dry run has reported its changes'),
  approved: z.boolean().optional().describe('cleared to run by a person, the policy or the client\'s yes'),
  superseded: z.boolean().optional().describe('a later re-plan took over from this failed step'),
  addedByModel: z.string().optional().describe('the model that added this step in a re-plan: a client\'s yes does not cover it'),
});

export const runRecordSchema = runViewSchema.extend({
  steps: z.array(stepRecordSchema),
  approval: approvalSchema.omit({ token: true }).optional(),
  context: z.strictObject({ yes: z.boolean(), planOnly: z.boolean(), cluster: z.string().optional() }),
  traceparent: z.string(),
  hopsLeft: z.number().int(),
  eventSalt: z.string().regex(/^[0-9a-f]{32}$/).optional()
    .describe('random per run, part of the ids of the events its steps send, so nobody can send an event under one first (run-steps.ts)'),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('sha256 of the pending approval token; cleared the moment it is used'),
  replans: z.number().int().min(0),
  considered: z.array(z.string()).optional().describe('finished steps the planner has already seen in a re-plan call'),
  cluster: z.string().describe('the cluster the facts came from (audit)'),
  owner: z.strictObject({ host: z.string(), pid: z.number().int(), start: z.string() }).optional()
    .describe('the planner process driving the run: a restart recovers only its own runs (run-store.ts recover)'),
});

export type StepRecord = z.infer<typeof stepRecordSchema>;
export type RunRecord = z.infer<typeof runRecordSchema>;
