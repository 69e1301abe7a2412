/** OpenAPI 3.1 description of the planner's HTTP API, built with z.toJSONSchema from the run schema the planner answers with. */
import * as z from 'zod';
import { errorBodySchema, runListSchema, runViewSchema } from '../../events/run-schema.js';
import { input } from './schema.js';

export const tokenBody = z.object({ token: z.string().min(1).describe('approval.token of the awaiting-approval answer') });
/** Approve or reject with the run's token, or as the caller (who holds role approver) by their own credential. */
export const decisionBody = z.union([tokenBody.strict(), z.object({ self: z.literal(true).describe('decide as the authenticated caller, who holds role approver') }).strict()]);

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const runAnswer = (description: string) => ({ description, content: { ...json(runViewSchema), 'text/plain': { schema: { type: 'string' } } } });
const err = (description: string) => ({ description, content: json(errorBodySchema) });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const preferAsync = { name: 'Prefer', in: 'header', schema: { type: 'string', enum: ['respond-async'] }, description: 'answer at once (202, running); follow /runs/{id}/events, then fetch the approval token from /runs/{id}/approval' };

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
            202: runAnswer('awaiting-approval (dev.ganglion.run.awaiting-approval, with approval.token when the caller holds approver) or still running (dev.ganglion.run.started)'),
            400: err('empty or invalid command, or an event id that cannot name a run'),
            401: err('no valid API token (Authorization: Bearer)'),
            403: err('the token\'s role is too low: starting needs operator, context.yes needs approver'),
          },
        },
      },
      '/runs': { get: { summary: 'Recent runs, newest first', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 } }], responses: { 200: { description: 'runs', content: json(runListSchema) } } } },
      '/runs/{id}': { get: { summary: 'One run (never its token)', parameters: idParam, responses: { 200: { description: 'the run', content: json(runViewSchema) }, 404: err('unknown run') } } },
      '/runs/{id}/approval': {
        get: {
          summary: 'A fresh single-use approval token of a waiting run, for the principal who started it, holding approver (a token given before is void)',
          parameters: idParam,
          responses: { 200: { description: '{runId, token, expiresAt}', content: json(z.object({ runId: z.string(), token: z.string(), expiresAt: z.string().optional() })) }, 403: err('not the run\'s starter, or not an approver'), 409: err('not awaiting approval') },
        },
      },
      '/runs/{id}/approve': {
        post: {
          summary: 'Approve the planned changes with the single-use token; runs them',
          parameters: [...idParam, preferAsync], requestBody: { required: true, content: json(decisionBody) },
          responses: { 200: runAnswer('finished'), 202: runAnswer('still running, or a re-plan needs another approval'), 403: err('wrong or expired token; nothing applied'), 404: err('unknown run'), 409: err('not awaiting approval (already approved, rejected or finished); nothing applied') },
        },
      },
      '/runs/{id}/reject': {
        post: { summary: 'Reject the planned changes; nothing is applied', parameters: idParam, requestBody: { required: true, content: json(decisionBody) }, responses: { 200: runAnswer('rejected'), 403: err('wrong token'), 409: err('not awaiting approval') } },
      },
      '/runs/{id}/events': {
        get: { summary: 'Server-sent events: plan, step, awaiting-approval, done (a late client gets the state so far first)', parameters: idParam, responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 404: err('unknown run') } },
      },
      '/audit': {
        get: {
          summary: 'One page of the audit log (every change attempted and its result, AuditRecord objects), oldest first; follow continue for the next page',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 500 } },
            { name: 'continue', in: 'query', schema: { type: 'string' }, description: 'the continue of the previous page' },
            { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'only records at or after this time' },
          ],
          responses: {
            200: { description: '{records, continue?, skipped}', content: json(z.object({ records: z.array(z.record(z.string(), z.unknown())), continue: z.string().optional(), skipped: z.array(z.object({ name: z.string(), reason: z.string() })) })) },
            400: err('limit is not a whole number from 1 to 1000, or since is not a time'),
          },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    },
  };
}
