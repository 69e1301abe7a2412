/**
 * A fake planner for CLI tests: a real HTTP server on port 0 speaking the planner's API (functions/planner/http-api.md)
 * with scripted runs built on the planner's own run schema, recording what it was asked and what it "applied". Like
 * the real one, a command event's id names its run (a repeat is a replay), `Prefer: respond-async` answers at once and
 * the event stream then carries the token, and GET /audit serves the audit records page by page. testing/planner-contract.ts
 * holds it to the real planner.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeChanges } from '../../cluster/change-text.js';
import type { Change } from '../../events/change.js';
import { isRunId } from '../../events/run-id.js';
import type { ChangeView, RunView, StepView } from '../../events/run-schema.js';

/** What a run looks like at one moment. */
type FakeState = Pick<RunView, 'status' | 'summary' | 'steps'> & Partial<Pick<RunView, 'data' | 'question'>>;

interface FakeRun extends FakeState {
  runId: string;
  text: string;
  client: string;
  createdAt: string;
  updatedAt: string;
  token?: string;
  changes: Change[];
  /** The states still ahead, the last one where the run stops; each GET (polling) or the stream moves through them. */
  ahead: FakeState[];
  /** A call waited for the stop and took the token: the stream never shows it. */
  tokenTaken: boolean;
}

export interface FakePlanner {
  url: string;
  /** Every command received: its event id (absent for plain JSON), body, and whether it asked to be answered at once. */
  commands: { id?: string; text: string; context: Record<string, unknown>; async: boolean }[];
  /** Changes applied (after approval or --yes). */
  applied: Change[];
  approvals: { runId: string; token: string; status: number }[];
  /** Set false to answer 404 on /events, so the CLI polls. */
  events: boolean;
  /** Runs whose event stream was opened, in order. */
  streams: string[];
  /** The audit log GET /audit serves, oldest first; each applied change appends a record. */
  audit: Record<string, unknown>[];
  /** What GET /function/monitor/monitors answers; undefined = no monitor function (404). */
  monitors: unknown[] | undefined;
  close(): Promise<void>;
}

const WEB_CHANGE: Change = { object: 'deployment/web-frontend', namespace: 'web', field: 'replicas', before: 3, after: 5 };
const IMAGE_CHANGE: Change = { object: 'deployment/placemyparents', namespace: 'apps', field: 'image', before: 'registry.local/placemyparents:1.4', after: 'registry.local/placemyparents:2.0' };

const changeView = (stepId: string, fn: string, c: Change): ChangeView => ({ ...c, stepId, fn, text: describeChanges([c]) });
const changeViews = (run: FakeRun): ChangeView[] => run.changes.map((c) => changeView('s1', run.steps[0]?.fn ?? 's1', c));

function step(id: string, fn: string, status: StepView['status'], more: Partial<StepView> = {}): StepView {
  return { id, fn, input: {}, dependsOn: [], mutates: false, status, ...more };
}

/** The run as GET answers it: an approval only while waiting, its token only for the caller that started it. */
function view(run: FakeRun, withToken: boolean): RunView {
  const { token, ahead: _ahead, tokenTaken: _taken, changes: _changes, ...rest } = run;
  const base: RunView = { ...rest, data: run.data ?? {}, planner: 'embedded' };
  if (run.status !== 'awaiting-approval') return base;
  const approveUrl = `/function/planner/runs/${run.runId}/approve`;
  const approval = { changes: changeViews(run), approveUrl, rejectUrl: approveUrl.replace(/approve$/, 'reject'), expiresAt: new Date(Date.parse(run.createdAt) + 3_600_000).toISOString(), ...(withToken && token ? { token } : {}) };
  return { ...base, approval };
}

/** The states a command's run goes through, from its first planned step to where it stops. */
function script(text: string, yes: boolean, token: string): { states: FakeState[]; changes: Change[]; token?: string } {
  const one = (fn: string, status: StepView['status'], extra: Partial<StepView> = {}) => step('s1', fn, status, extra);
  if (/status/i.test(text)) {
    const detail = { text: 'NODES  pi-1 pi-2 pi-3 (arm64, Ready)\nPODS   20 running, 2 pending, 2 failed' };
    return { changes: [], states: [
      { status: 'running', summary: 'still running', steps: [one('cluster-status', 'running')] },
      { status: 'completed', summary: '3 nodes ready, 24 pods: 20 running, 4 unhealthy', data: { s1: detail }, steps: [one('cluster-status', 'completed', { summary: '3 nodes ready', data: detail })] },
    ] };
  }
  if (/ambiguous/i.test(text)) return { changes: [], states: [{ status: 'needs-input', summary: 'which Deployment?', question: 'Two Deployments match "web": web-frontend, web-api. Which one?', steps: [] }] };
  if (/broken/i.test(text)) {
    const error = { code: 'not_found', message: 'no Deployment "placemyparnts"; closest: placemyparents' };
    return { changes: [], states: [
      { status: 'running', summary: 'still running', steps: [one('deploy', 'running', { mutates: true })] },
      { status: 'failed', summary: error.message, steps: [one('deploy', 'failed', { mutates: true, error })] },
    ] };
  }
  if (/slow/i.test(text) && !/scale/i.test(text)) {
    const s2 = (status: StepView['status'], summary?: string) => step('s2', 'failing-pods', status, summary ? { summary } : {});
    return { changes: [], states: [
      { status: 'running', summary: 'still running', steps: [one('cluster-status', 'running'), s2('pending')] },
      { status: 'running', summary: 'still running', steps: [one('cluster-status', 'completed', { summary: '3 nodes ready' }), s2('running')] },
      { status: 'completed', summary: 'slow run finished: 2 steps', steps: [one('cluster-status', 'completed', { summary: '3 nodes ready' }), s2('completed', '4 failing pods')] },
    ] };
  }
  const change = /deploy/i.test(text) ? IMAGE_CHANGE : WEB_CHANGE;
  const fn = change === IMAGE_CHANGE ? 'deploy' : 'scale';
  const mutating = (status: StepView['status'], summary: string, more: Partial<StepView> = {}) => one(fn, status, { mutates: true, summary, changes: [changeView('s1', fn, change)], ...more });
  const states: FakeState[] = [{ status: 'running', summary: 'still running', steps: [mutating('running', 'dry run')] }];
  if (/slow/i.test(text)) states.push({ status: 'running', summary: 'still running', steps: [mutating('running', 'dry run')] });
  if (yes) states.push({ status: 'completed', summary: `${fn} applied`, steps: [mutating('completed', 'applied', { approvedBy: 'yes' })] });
  else states.push({ status: 'awaiting-approval', summary: `waiting for approval: ${fn}`, steps: [mutating('awaiting-approval', 'dry run')] });
  return { states, changes: [change], ...(yes ? {} : { token }) };
}

function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      try {
        resolve(body ? (JSON.parse(body) as Record<string, unknown>) : {});
      } catch (err) {
        resolve({ text: body, notJson: String(err) });
      }
    });
  });
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The events that take a run's stream from `before` to `after`, as the planner sends them. */
function eventsBetween(runId: string, before: StepView[], after: StepView[]): string {
  let out = '';
  if (before.length === 0 && after.length > 0) out += frame('plan', { runId, planner: 'embedded', steps: after.map((s) => ({ ...s, status: 'pending' })) });
  for (const s of after) {
    const was = before.find((b) => b.id === s.id)?.status ?? 'pending';
    if (s.status !== was) out += frame('step', { runId, stepId: s.id, fn: s.fn, status: s.status, ...(s.summary ? { summary: s.summary } : {}) });
  }
  return out;
}

export async function startFakePlanner(): Promise<FakePlanner> {
  const runs = new Map<string, FakeRun>();
  let counter = 0;
  const state: Omit<FakePlanner, 'url' | 'close'> = { commands: [], applied: [], approvals: [], events: true, streams: [], audit: [], monitors: undefined };

  const send = (res: http.ServerResponse, status: number, data: unknown, type = 'dev.ganglion.run.completed') => {
    res.writeHead(status, { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': `e${++counter}`, 'ce-source': '/ganglion/planner', 'ce-type': type });
    res.end(JSON.stringify(data));
  };
  const fail = (res: http.ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } }, 'dev.ganglion.step.failed');
  const answerRun = (res: http.ServerResponse, run: FakeRun, withToken: boolean) => {
    const type = run.status === 'running' ? 'dev.ganglion.run.started' : run.status === 'awaiting-approval' ? 'dev.ganglion.run.awaiting-approval' : run.status === 'failed' ? 'dev.ganglion.run.failed' : 'dev.ganglion.run.completed';
    send(res, run.status === 'awaiting-approval' || run.status === 'running' ? 202 : 200, view(run, withToken), type);
  };
  const advance = (run: FakeRun) => {
    const next = run.ahead.shift();
    if (next) Object.assign(run, next, { updatedAt: new Date().toISOString() });
  };
  const apply = (run: FakeRun, approvedBy: string) => {
    state.applied.push(...run.changes);
    for (const c of run.changes) {
      state.audit.push({ time: new Date().toISOString(), client: run.client, runId: run.runId, stepId: 's1', verb: run.steps[0]?.fn, object: c.object, namespace: c.namespace, cluster: 'fake', before: { [c.field]: c.before }, after: { [c.field]: c.after }, result: 'applied', approvedBy });
    }
  };
  const respondAsync = (req: http.IncomingMessage) => /(^|,)\s*respond-async\s*(;|,|$)/i.test(String(req.headers.prefer ?? ''));

  async function command(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = await readBody(req);
    const text = typeof body.text === 'string' ? body.text : '';
    const context = (body.context ?? {}) as Record<string, unknown>;
    const id = typeof req.headers['ce-id'] === 'string' ? req.headers['ce-id'] : undefined;
    const async = respondAsync(req);
    state.commands.push({ ...(id === undefined ? {} : { id }), text, context, async });
    if (!text.trim()) return fail(res, 400, 'invalid_input', 'invalid input for planner: text: say what to do');
    if (id !== undefined && !isRunId(id)) return fail(res, 400, 'bad_run_id', `the command's event id ${JSON.stringify(id)} cannot name a run`);
    const replayed = id === undefined ? undefined : runs.get(id);
    if (replayed) return answerRun(res, replayed, false);
    const runId = id ?? `run-${String(++counter).padStart(6, '0')}`;
    const { states, changes, token } = script(text, context.yes === true, `tok-${++counter}`);
    const at = new Date().toISOString();
    const client = typeof context.client === 'string' && context.client ? context.client : 'http';
    const run: FakeRun = { runId, text: text.trim(), client, createdAt: at, updatedAt: at, status: 'running', summary: 'planning', steps: [], changes, ahead: states, tokenTaken: false, ...(token ? { token } : {}) };
    runs.set(runId, run);
    if (context.yes === true && changes.length) apply(run, 'yes');
    if (async) return answerRun(res, run, false);
    // A call that waits gets the run where it stops, and with it the token.
    while (run.ahead.length) advance(run);
    run.tokenTaken = run.status === 'awaiting-approval';
    return answerRun(res, run, true);
  }

  function stream(run: FakeRun, res: http.ServerResponse) {
    state.streams.push(run.runId);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    // What a late client missed first, then the run as it moves on, until it stops.
    let out = `: hello\n\n${eventsBetween(run.runId, [], run.steps)}`;
    while (run.ahead.length) {
      const before = run.steps;
      advance(run);
      out += eventsBetween(run.runId, before, run.steps);
    }
    if (run.status === 'awaiting-approval') out += frame('awaiting-approval', { runId: run.runId, changes: changeViews(run), approveUrl: `/function/planner/runs/${run.runId}/approve`, ...(run.tokenTaken ? {} : { token: run.token }) });
    else if (run.status !== 'running') out += frame('done', view(run, false));
    res.end(out);
  }

  function decide(run: FakeRun, verb: string, token: string, async: boolean, res: http.ServerResponse) {
    if (run.status !== 'awaiting-approval') return fail(res, 409, 'run_not_awaiting_approval', `run ${run.runId} is ${run.status}`);
    if (token !== run.token) {
      state.approvals.push({ runId: run.runId, token, status: 403 });
      return fail(res, 403, 'approval_denied', 'the approval token does not match this run');
    }
    state.approvals.push({ runId: run.runId, token, status: 200 });
    if (verb === 'reject') {
      Object.assign(run, { status: 'rejected', summary: 'rejected: nothing was applied', updatedAt: new Date().toISOString(), steps: run.steps.map((s): StepView => ({ ...s, status: 'rejected' })) });
      return answerRun(res, run, false);
    }
    apply(run, 'person');
    const done: FakeState = { status: 'completed', summary: `${run.steps[0]?.fn} applied: ${run.changes.length} change(s)`, steps: run.steps.map((s): StepView => ({ ...s, status: 'completed', summary: 'applied', approvedBy: 'person' })) };
    Object.assign(run, { status: 'running', summary: 'applying', steps: run.steps.map((s): StepView => ({ ...s, status: 'running' })), ahead: [done] });
    if (!async) advance(run);
    return answerRun(res, run, false);
  }

  function audit(url: URL, res: http.ServerResponse) {
    const raw = url.searchParams.get('limit');
    const limit = raw === null || raw === '' ? 500 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail(res, 400, 'bad_request', `limit must be a whole number from 1 to 1000 (got ${JSON.stringify(raw)})`);
    // pages oldest first, as the planner reads AuditRecord objects; the continue token is the next offset
    const from = Number(url.searchParams.get('continue') ?? 0);
    const next = from + limit;
    return send(res, 200, { records: state.audit.slice(from, next), skipped: [], ...(next < state.audit.length ? { continue: String(next) } : {}) });
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean); // function planner runs <id> <verb>
    if (url.pathname === '/function/monitor/monitors' && state.monitors) return send(res, 200, state.monitors);
    if (parts[0] !== 'function' || parts[1] !== 'planner') return fail(res, 404, 'not_found', `no function at ${url.pathname}`);
    if (parts.length === 2 && req.method === 'POST') return command(req, res);
    if (parts[2] === 'audit' && parts.length === 3 && req.method === 'GET') return audit(url, res);
    if (parts[2] === 'runs' && parts.length === 3) return send(res, 200, { runs: [...runs.values()].reverse().map((r) => view(r, false)) });
    const run = runs.get(parts[3] ?? '');
    if (!run) return fail(res, 404, 'run_not_found', `no run ${parts[3]}`);
    const verb = parts[4];
    if (!verb && req.method === 'GET') {
      const snapshot = view(run, false);
      advance(run);
      return send(res, 200, snapshot);
    }
    if (verb === 'events') {
      if (!state.events) return fail(res, 404, 'not_found', 'no events');
      return stream(run, res);
    }
    if (verb === 'approve' || verb === 'reject') {
      const body = await readBody(req);
      return decide(run, verb, typeof body.token === 'string' ? body.token : '', respondAsync(req), res);
    }
    return fail(res, 404, 'not_found', `no route ${req.method} ${url.pathname}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}
