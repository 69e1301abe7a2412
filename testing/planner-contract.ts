/**
 * One contract suite for the planner's HTTP API (functions/planner/http-api.md), run against the real planner and
 * the CLI's fake: the same requests, the same answers, and every run body parses with the strict run schema.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type * as z from 'zod';
import { errorBodySchema, runEventSchemas, runListSchema, runViewSchema, type RunView } from '../events/run-schema.js';

export interface PlannerUnderTest {
  /** The gateway URL: the planner answers at `${url}/function/planner`. */
  url: string;
  /** Sent as Bearer on every call (the real planner refuses a call without one). */
  token?: string;
  stop(): Promise<void>;
}

const parsed = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const r = schema.safeParse(value);
  if (!r.success) assert.unreachable(`${what} does not fit the schema: ${r.error.message}\n${JSON.stringify(value)}`);
  return r.data as z.infer<S>;
};

interface Answer { status: number; type: string | null; body: unknown }

const authOf = (p: PlannerUnderTest): Record<string, string> => (p.token ? { authorization: `Bearer ${p.token}` } : {});

async function call(p: PlannerUnderTest, pathname: string, init: { method?: string; body?: unknown } = {}): Promise<Answer> {
  const res = await fetch(`${p.url}/function/planner${pathname}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authOf(p) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, type: res.headers.get('ce-type'), body: await res.json() };
}

/** The stream of a run that has stopped (finished or waiting): both planners end it, so read it whole. */
async function events(p: PlannerUnderTest, runId: string): Promise<{ event: string; data: unknown }[]> {
  const res = await fetch(`${p.url}/function/planner/runs/${runId}/events`, { headers: authOf(p), signal: AbortSignal.timeout(20_000) });
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', 'text/event-stream');
  const text = await res.text();
  return text.split('\n\n').map((block) => {
    const lines = block.split('\n').filter((l) => l && !l.startsWith(':'));
    const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
    return event ? { event, data: JSON.parse(data) as unknown } : undefined;
  }).filter((e): e is { event: string; data: unknown } => e !== undefined);
}

function checkEvents(list: { event: string; data: unknown }[], runId: string): void {
  assert.ok(list.length > 0, 'the stream says something');
  for (const ev of list) {
    assert.ok(ev.event in runEventSchemas, `unknown event ${ev.event}`);
    const data = parsed(runEventSchemas[ev.event as keyof typeof runEventSchemas], ev.data, `the ${ev.event} event`);
    assert.is(data.runId, runId);
  }
  assert.is(list[0]?.event, 'plan');
}

/** Registers the suite; the caller runs it. */
export function plannerContract(name: string, start: () => Promise<PlannerUnderTest>) {
  const test = suite<{ planner?: PlannerUnderTest; waiting?: RunView }>(`planner API contract: ${name}`);
  const base = (ctx: { planner?: PlannerUnderTest }): PlannerUnderTest => ctx.planner ?? { url: '', stop: async () => {} };

  test.before(async (ctx) => {
    ctx.planner = await start();
  });
  test.after(async (ctx) => {
    await ctx.planner?.stop();
  });

  test('a read command answers 200 with a completed run that fits the run schema', async (ctx) => {
    const a = await call(base(ctx), '', { method: 'POST', body: { text: 'Show me cluster status', context: { client: 'contract' } } });
    assert.is(a.status, 200);
    assert.is(a.type, 'dev.ganglion.run.completed');
    const run = parsed(runViewSchema, a.body, 'the answer');
    assert.is(run.status, 'completed');
    // who started it: the caller's word for the fake, the authenticated principal for the real planner
    assert.ok(run.client === 'contract' || run.client === 'admin', run.client);
    assert.is(run.text, 'Show me cluster status');
    assert.ok(run.steps.length > 0 && run.steps.every((s) => s.status === 'completed'));
    for (const id of Object.keys(run.data)) assert.ok(run.steps.some((s) => s.id === id), `data is keyed by step id, not ${id}`);
  });

  test('a change answers 202 awaiting approval, with the token once and each change as a line to read', async (ctx) => {
    const a = await call(base(ctx), '', { method: 'POST', body: { text: 'Scale the web tier to 5 replicas', context: { client: 'contract' } } });
    assert.is(a.status, 202);
    assert.is(a.type, 'dev.ganglion.run.awaiting-approval');
    const run = parsed(runViewSchema, a.body, 'the answer');
    assert.is(run.status, 'awaiting-approval');
    assert.ok(run.approval?.token, 'the caller that started the run gets the token');
    assert.ok(run.approval.changes.length > 0);
    for (const c of run.approval.changes) {
      assert.match(c.text, /→/);
      assert.ok(run.steps.some((s) => s.id === c.stepId && s.fn === c.fn && s.mutates), `change of step ${c.stepId}`);
    }
    assert.ok(run.approval.approveUrl.endsWith(`/runs/${run.runId}/approve`));
    assert.ok(run.approval.rejectUrl.endsWith(`/runs/${run.runId}/reject`));
    ctx.waiting = run;
  });

  test('GET /runs/<id> answers the same run without its token', async (ctx) => {
    const waiting = ctx.waiting as RunView;
    const a = await call(base(ctx), `/runs/${waiting.runId}`);
    assert.is(a.status, 200);
    const run = parsed(runViewSchema, a.body, 'the run');
    assert.is(run.runId, waiting.runId);
    assert.is(run.status, 'awaiting-approval');
    assert.is(run.approval?.token, undefined);
    assert.equal(run.approval?.changes, waiting.approval?.changes);
  });

  test('GET /runs lists runs newest first, each fitting the schema and none with a token', async (ctx) => {
    const a = await call(base(ctx), '/runs');
    assert.is(a.status, 200);
    const { runs } = parsed(runListSchema, a.body, 'the list');
    assert.ok(runs.length >= 2);
    assert.is(runs[0]?.runId, ctx.waiting?.runId);
    assert.ok(runs.every((r) => r.approval?.token === undefined));
  });

  test('the event stream of a waiting run replays plan and steps and ends at awaiting-approval, without the token already given', async (ctx) => {
    const waiting = ctx.waiting as RunView;
    const list = await events(base(ctx), waiting.runId);
    checkEvents(list, waiting.runId);
    const last = parsed(runEventSchemas['awaiting-approval'], list.at(-1)?.data, 'the last event');
    assert.is(list.at(-1)?.event, 'awaiting-approval');
    assert.is(last.token, undefined);
    assert.equal(last.changes, waiting.approval?.changes);
    for (const s of waiting.steps.filter((x) => x.status !== 'pending')) {
      const seen = list.filter((e) => e.event === 'step').map((e) => parsed(runEventSchemas.step, e.data, 'a step event'));
      assert.ok(seen.some((e) => e.stepId === s.id && e.fn === s.fn && e.status === s.status), `a step event for ${s.id} (${s.status})`);
    }
  });

  test('a wrong token is refused with 403 and an error body; the right one rejects, and the stream then ends with done', async (ctx) => {
    const waiting = ctx.waiting as RunView;
    const wrong = await call(base(ctx), `/runs/${waiting.runId}/reject`, { method: 'POST', body: { token: 'nope' } });
    assert.is(wrong.status, 403);
    assert.is(parsed(errorBodySchema, wrong.body, 'the refusal').error.code, 'approval_denied');
    const ok = await call(base(ctx), `/runs/${waiting.runId}/reject`, { method: 'POST', body: { token: waiting.approval?.token } });
    assert.is(ok.status, 200);
    assert.is(parsed(runViewSchema, ok.body, 'the rejected run').status, 'rejected');
    const again = await call(base(ctx), `/runs/${waiting.runId}/reject`, { method: 'POST', body: { token: waiting.approval?.token } });
    assert.is(again.status, 409);
    assert.is(parsed(errorBodySchema, again.body, 'the refusal').error.code, 'run_not_awaiting_approval');
    const list = await events(base(ctx), waiting.runId);
    checkEvents(list, waiting.runId);
    assert.is(list.at(-1)?.event, 'done');
    assert.is(parsed(runViewSchema, list.at(-1)?.data, 'the done event').status, 'rejected');
  });

  test('an unknown run id answers 404 run_not_found with an error body', async (ctx) => {
    for (const pathname of ['/runs/zzzzzz-unknown', '/runs/zzzzzz-unknown/events']) {
      const a = await call(base(ctx), pathname);
      assert.is(a.status, 404, pathname);
      assert.is(parsed(errorBodySchema, a.body, 'the 404').error.code, 'run_not_found');
    }
  });

  test('an empty command answers 400 empty_command with an error body', async (ctx) => {
    const a = await call(base(ctx), '', { method: 'POST', body: { text: '  ' } });
    assert.is(a.status, 400);
    assert.ok(parsed(errorBodySchema, a.body, 'the refusal').error.message.length > 0);
  });

  return test;
}
