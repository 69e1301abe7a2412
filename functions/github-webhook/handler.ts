/**
 * github-webhook: POST / is GitHub's push webhook. The signature is checked over the raw body before anything else
 * (bad → 401, nothing runs); pushes to the CI branch get 202 and start test → deploy → verify in the background
 * (GitHub gives up on a webhook after 10 s); other events and branches get 202 and are ignored.
 * GET /deliveries/:id (or the step input `delivery`) says what happened to one delivery.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { invokeFunction } from '../../events/invoke-function.js';
import { GanglionError, toPublicError } from '../../kernel/errors.js';
import type { FnResponse, FunctionContext, FunctionRoute, StepResult } from '../../function-kit/function-module.js';
import { readSecret, SECRET } from '../../kernel/secrets.js';
import { readPipelines } from '../../ci-pipelines/ci-pipelines.js';
import { stateClient } from '../../cluster-state/ganglion-objects.js';
import { claimDelivery, readDelivery, type DeliveryRecord } from './delivery-store.js';
import { runPipeline } from './pipeline.js';
import { parsePush } from './push-event.js';
import { verifySignature } from './signature.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

const json = (status: number, value: unknown): FnResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

/** Pipelines still running in this process (tests wait for them; a stop can let them finish). */
export const running = new Set<Promise<unknown>>();
const lastOnBranch = new Map<string, Promise<unknown>>();

async function receive(req: { headers: Record<string, string | string[] | undefined>; body: Buffer }, ctx: FunctionContext): Promise<FnResponse> {
  const header = (name: string) => { const v = req.headers[name]; return Array.isArray(v) ? v[0] : v; };
  if (!header('x-github-event') && header('ce-specversion')) {
    return json(400, { error: { code: 'not_a_github_webhook', message: 'github-webhook takes GitHub\'s signed webhooks, not planner steps; read what a push did with GET /function/github-webhook/deliveries/<X-GitHub-Delivery>' } });
  }
  const secret = readSecret(ctx.config, SECRET.github.name, ctx.config.alerts.githubWebhookSecret);
  if (!secret) return json(503, { error: { code: 'webhook_not_configured', message: `no webhook secret: create the OpenFaaS secret ${SECRET.github.name} (or set ${SECRET.github.env}) with the secret entered in GitHub` } });
  if (!verifySignature(secret, req.body, header('x-hub-signature-256'))) {
    ctx.log.warn({ delivery: header('x-github-delivery') }, 'webhook with a bad or missing X-Hub-Signature-256 refused');
    return json(401, { error: { code: 'bad_signature', message: 'X-Hub-Signature-256 does not match the body signed with the webhook secret' } });
  }
  const event = header('x-github-event') ?? '';
  const delivery = header('x-github-delivery') || randomUUID();
  if (event === 'ping') return json(200, { ok: true, delivery, message: 'pong: the webhook secret matches' });
  if (event !== 'push') return json(202, { delivery, ignored: `event "${event || '(none)'}" is not acted on; only push` });
  const push = parsePush(req.body, String(header('content-type') ?? ''));
  const branch = push.ref.replace(/^refs\/heads\//, '');
  // Pipelines set up by "when main updates, test and deploy" name their branches; otherwise GANGLION_CI_BRANCH.
  const state = stateClient(ctx.kube, ctx.config);
  const pipelines = await readPipelines(state, ctx.signal);
  const branches = pipelines.length ? [...new Set(pipelines.map((p) => p.branch))] : [ctx.config.alerts.ciBranch];
  if (!push.ref.startsWith('refs/heads/') || !branches.includes(branch) || push.deleted) {
    return json(202, { delivery, ignored: `${push.ref}${push.deleted ? ' (deleted)' : ''} is not ${branches.map((b) => `refs/heads/${b}`).join(' or ')}; only pushes to ${branches.join(', ')} are tested and deployed` });
  }
  const rec: DeliveryRecord = { delivery, repository: push.repository.full_name ?? push.repository.name, branch, commit: push.after, status: 'running', stages: [], summary: 'test → deploy → verify started', receivedAt: ctx.now().toISOString() };
  // Whoever creates the delivery's object runs it: a redelivery, here or at another replica, is answered from it.
  const save = await claimDelivery(state, rec, ctx.signal);
  if (!save) {
    const seen = await readDelivery(state, delivery, ctx.signal);
    return json(200, { delivery, duplicate: true, status: seen?.status ?? 'running', summary: seen?.summary ?? 'another replica is starting it' });
  }
  const run = () => runPipeline({ config: ctx.config, kube: ctx.kube, state, log: ctx.log, now: ctx.now, invoke: invokeFunction }, push, rec, save).catch(async (err: unknown) => {
    ctx.log.error({ err, delivery }, 'push pipeline failed');
    await save({ ...rec, status: 'failed', summary: `the pipeline stopped: ${toPublicError(err).message}`, finishedAt: ctx.now().toISOString() })
      .catch((saveErr: unknown) => ctx.log.error({ err: saveErr, delivery }, 'the failed push pipeline could not be recorded'));
  });
  // Pushes to one branch run one after another, so two quick pushes never deploy out of order.
  const job = (lastOnBranch.get(branch) ?? Promise.resolve()).then(run);
  lastOnBranch.set(branch, job);
  running.add(job);
  void job.finally(() => {
    running.delete(job);
    if (lastOnBranch.get(branch) === job) lastOnBranch.delete(branch);
  });
  return json(202, { delivery, accepted: `push ${push.after.slice(0, 7)} to ${branch}: test → deploy → verify started`, status: `/function/github-webhook/deliveries/${delivery}` });
}

export const routes: FunctionRoute[] = [
  // GitHub carries no token: the delivery's own HMAC signature (X-Hub-Signature-256) is checked in receive().
  { method: 'POST', path: '/', access: 'public', handle: (req, ctx) => receive(req, ctx) },
  {
    method: 'GET',
    path: '/deliveries/:id',
    access: 'viewer',
    async handle(req, ctx) {
      const rec = await readDelivery(stateClient(ctx.kube, ctx.config), req.params.id ?? '', req.signal);
      return rec ? json(200, rec) : json(404, { error: { code: 'delivery_not_found', message: `no webhook delivery ${req.params.id ?? ''} was received` } });
    },
  },
];

/** POST / belongs to GitHub, so a step reaches this only through a route-less runtime; it answers the same lookup. */
export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<DeliveryRecord>> {
  const rec = await readDelivery(stateClient(ctx.kube, ctx.config), inp.delivery, ctx.signal);
  if (!rec) throw new GanglionError(404, 'delivery_not_found', `no webhook delivery ${inp.delivery} was received`);
  return { summary: `${rec.status}: ${rec.summary}`, data: rec };
}
