/** OpenAPI 3.1 description of the planner's HTTP API, built from zod schemas with z.toJSONSchema. */
import * as z from 'zod';
import { input } from './schema.js';

const error = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const change = z.object({
  stepId: z.string(), fn: z.string(), object: z.string().describe('deployment/placemyparents'), namespace: z.string().optional(),
  field: z.string().describe('image, replicas, …'), before: z.unknown(), after: z.unknown(), cluster: z.string().optional(),
  text: z.string().describe('image placemyparents:1.4 → 2.0 on deployment/placemyparents (apps)'),
});
const stepStatus = z.enum(['pending', 'running', 'completed', 'failed', 'skipped', 'awaiting-approval', 'rejected']);
const step = z.object({
  id: z.string(), fn: z.string(), input: z.record(z.string(), z.unknown()), dependsOn: z.array(z.string()), mutates: z.boolean(),
  why: z.string().optional(), status: stepStatus, summary: z.string().optional(), data: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(), changes: z.array(change).optional(),
  approvedBy: z.enum(['person', 'policy', 'yes']).optional(), startedAt: z.string().optional(), finishedAt: z.string().optional(),
});
export const runSchema = z.object({
  runId: z.string(),
  status: z.enum(['running', 'awaiting-approval', 'completed', 'failed', 'rejected', 'needs-input']),
  summary: z.string().describe('one line a person reads'),
  text: z.string(), client: z.string(), planner: z.string().describe("'embedded' or the model that planned"),
  intent: z.string().optional(), question: z.string().optional().describe('set when the request was ambiguous; nothing ran'),
  steps: z.array(step), data: z.record(z.string(), z.unknown()).describe('step id → its data'),
  approval: z.object({
    token: z.string().optional().describe('single-use; only in the answer that stopped for approval'),
    changes: z.array(change), approveUrl: z.string(), rejectUrl: z.string(), expiresAt: z.string(),
  }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string(), updatedAt: z.string(), notes: z.array(z.string()).optional(),
  conclusion: z.string().optional().describe('why the run ended where it did (e.g. "review requested changes (2 findings); placemyparents not deployed"); also in summary'),
});
export const tokenBody = z.object({ token: z.string().min(1).describe('approval.token of the awaiting-approval answer') });

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const runAnswer = (description: string) => ({ description, content: { ...json(runSchema), 'text/plain': { schema: { type: 'string' } } } });
const err = (description: string) => ({ description, content: json(error) });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const preferAsync = { name: 'Prefer', in: 'header', schema: { type: 'string', enum: ['respond-async'] }, description: 'answer at once (202, running); follow /runs/{id}/events, which then carries the approval token' };

export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Ganglion planner', version: '0.1.0', description: 'Send a command in plain language; read runs; approve or reject planned changes. Answers are binary-mode CloudEvents whose body is the run.' },
    servers: [{ url: `${serverUrl}/function/planner` }],
    paths: {
      '/': {
        post: {
          summary: 'Start a run from a command (JSON, plain text, or a dev.ganglion.command CloudEvent, whose id becomes the run id)',
          parameters: [preferAsync],
          requestBody: { required: true, content: { ...json(input), 'text/plain': { schema: { type: 'string' } } } },
          responses: {
            200: runAnswer('finished: completed, failed or needs-input (ce-type dev.ganglion.run.completed / .failed)'),
            202: runAnswer('awaiting-approval (dev.ganglion.run.awaiting-approval, with approval.token) or still running (dev.ganglion.run.started)'),
            400: err('empty or invalid command, or an event id that cannot name a run'),
          },
        },
      },
      '/runs': { get: { summary: 'Recent runs, newest first', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', default: 20 } }], responses: { 200: { description: 'runs', content: json(z.object({ runs: z.array(runSchema) })) } } } },
      '/runs/{id}': { get: { summary: 'One run (never its token)', parameters: idParam, responses: { 200: { description: 'the run', content: json(runSchema) }, 404: err('unknown run') } } },
      '/runs/{id}/approve': {
        post: {
          summary: 'Approve the planned changes with the single-use token; runs them',
          parameters: [...idParam, preferAsync], requestBody: { required: true, content: json(tokenBody) },
          responses: { 200: runAnswer('finished'), 202: runAnswer('still running, or a re-plan needs another approval'), 403: err('wrong or expired token; nothing applied'), 404: err('unknown run'), 409: err('not awaiting approval (already approved, rejected or finished); nothing applied') },
        },
      },
      '/runs/{id}/reject': {
        post: { summary: 'Reject the planned changes; nothing is applied', parameters: idParam, requestBody: { required: true, content: json(tokenBody) }, responses: { 200: runAnswer('rejected'), 403: err('wrong token'), 409: err('not awaiting approval') } },
      },
      '/runs/{id}/events': {
        get: { summary: 'Server-sent events: plan, step, awaiting-approval, done (a late client gets the state so far first)', parameters: idParam, responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 404: err('unknown run') } },
      },
      '/audit': {
        get: {
          summary: 'The newest audit records (every change attempted and its result), oldest first; total counts them all',
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }],
          responses: { 200: { description: '{records, total}', content: json(z.object({ records: z.array(z.record(z.string(), z.unknown())), total: z.number().int() })) }, 400: err('limit is not a whole number from 1 to 1000') },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    },
  };
}
