/**
 * A fake planner for CLI tests: a real HTTP server on port 0 speaking the planner's API (functions/planner/http-api.md)
 * with scripted runs built on the planner's own run schema, recording what it was asked and what it "applied".
 * testing/planner-contract.ts holds it to the real planner.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeChanges } from '../../cluster/change-text.js';
import type { Change } from '../../events/change.js';
import type { ChangeView, RunEvent, RunView, StepView } from '../../events/run-schema.js';

export interface FakePlanner {
  url: string;
  /** Every command body received. */
  commands: { text: string; context: Record<string, unknown> }[];
  /** Changes applied (after approval or --yes). */
  applied: Change[];
  approvals: { runId: string; token: string; status: number }[];
  /** Set false to answer 404 on /events, so the CLI polls. */
  events: boolean;
  /** Order of what happened to "held" runs: 'stream-opened', 'answered'. */
  held: string[];
  /** What GET /function/monitor/monitors answers; undefined = no monitor function (404). */
  monitors: unknown[] | undefined;
  close(): Promise<void>;
}

type RunState = Pick<RunView, 'status' | 'summary' | 'steps'>;

interface FakeRun {
  view: RunView;
  token?: string;
  /** What approval shows and applies. */
  changes: Change[];
  /** Further states a slow run moves through, one per poll or event. */
  script: RunState[];
  /** The start call's answer carried the token, so the event stream never does. */
  tokenGiven?: boolean;
}

const WEB_CHANGE: Change = { object: 'deployment/web-frontend', namespace: 'web', field: 'replicas', before: 3, after: 5 };
const IMAGE_CHANGE: Change = { object: 'deployment/placemyparents', namespace: 'apps', field: 'image', before: 'registry.local/placemyparents:1.4', after: 'registry.local/placemyparents:2.0' };

const asChange = ({ stepId: _s, fn: _f, text: _t, ...c }: ChangeView): Change => c;
const changeView = (stepId: string, fn: string, c: Change): ChangeView => ({ ...c, stepId, fn, text: describeChanges([c]) });

function step(id: string, fn: string, status: StepView['status'], more: Partial<StepView> = {}): StepView {
  return { id, fn, input: {}, dependsOn: [], mutates: false, status, ...more };
}

function mutating(fn: string, status: StepView['status'], change: Change, summary?: string): StepView {
  return step('s1', fn, status, { mutates: true, changes: [changeView('s1', fn, change)], ...(summary ? { summary } : {}) });
}

/** The run as GET answers it: an approval only while waiting, its token only for the caller that started it. */
function viewOf(run: FakeRun, withToken: boolean): RunView {
  const { approval: _approval, ...view } = run.view;
  if (view.status !== 'awaiting-approval') return view;
  const approveUrl = `/function/planner/runs/${view.runId}/approve`;
  const changes = run.changes.map((c) => changeView('s1', view.steps[0]?.fn ?? 's1', c));
  return { ...view, approval: { changes, approveUrl, rejectUrl: approveUrl.replace(/approve$/, 'reject'), expiresAt: new Date(Date.now() + 3_600_000).toISOString(), ...(withToken && run.token ? { token: run.token } : {}) } };
}

function scripted(id: number, text: string, yes: boolean): Omit<FakeRun, 'view'> & { state: RunState & Partial<RunView> } {
  const none = { changes: [] as Change[], script: [] as RunState[] };
  if (/status/i.test(text)) {
    return { ...none, state: { status: 'completed', summary: '3 nodes ready, 24 pods: 20 running, 4 unhealthy', data: { s1: { text: 'NODES  pi-1 pi-2 pi-3 (arm64, Ready)\nPODS   20 running, 2 pending, 2 failed' } }, steps: [step('s1', 'cluster-status', 'completed', { summary: '3 nodes ready', data: { text: 'NODES  pi-1 pi-2 pi-3 (arm64, Ready)\nPODS   20 running, 2 pending, 2 failed' } })] } };
  }
  if (/ambiguous/i.test(text)) return { ...none, state: { status: 'needs-input', summary: 'which Deployment?', question: 'Two Deployments match "web": web-frontend, web-api. Which one?', steps: [] } };
  if (/broken/i.test(text)) {
    const error = { code: 'not_found', message: 'no Deployment "placemyparnts"; closest: placemyparents' };
    return { ...none, state: { status: 'failed', summary: error.message, steps: [step('s1', 'deploy', 'failed', { mutates: true, error })] } };
  }
  if (/slow scale/i.test(text)) {
    return {
      changes: [WEB_CHANGE], token: `tok-${id}`,
      state: { status: 'running', summary: 'planning', steps: [mutating('scale', 'running', WEB_CHANGE)] },
      script: [{ status: 'awaiting-approval', summary: 'waiting for approval: scale', steps: [mutating('scale', 'awaiting-approval', WEB_CHANGE)] }],
    };
  }
  if (/slow/i.test(text)) {
    const s1 = (status: StepView['status'], summary?: string) => step('s1', 'cluster-status', status, summary ? { summary } : {});
    const s2 = (status: StepView['status'], summary?: string) => step('s2', 'failing-pods', status, summary ? { summary } : {});
    return {
      ...none,
      state: { status: 'running', summary: 'still running', steps: [s1('running'), s2('pending')] },
      script: [
        { status: 'running', summary: 'still running', steps: [s1('completed', '3 nodes ready'), s2('running')] },
        { status: 'completed', summary: 'slow run finished: 2 steps', steps: [s1('completed', '3 nodes ready'), s2('completed', '4 failing pods')] },
      ],
    };
  }
  const change = /deploy/i.test(text) ? IMAGE_CHANGE : WEB_CHANGE;
  const fn = change === IMAGE_CHANGE ? 'deploy' : 'scale';
  if (yes) return { ...none, state: { status: 'completed', summary: `${fn} applied`, steps: [{ ...mutating(fn, 'completed', change, 'applied'), approvedBy: 'yes' }] } };
  return { changes: [change], token: `tok-${id}`, script: [], state: { status: 'awaiting-approval', summary: `waiting for approval: ${fn}`, steps: [mutating(fn, 'awaiting-approval', change, 'dry run')] } };
}

function newRun(id: number, text: string, context: Record<string, unknown>): FakeRun {
  const { state, ...rest } = scripted(id, text, context.yes === true);
  const at = new Date().toISOString();
  const client = typeof context.client === 'string' && context.client ? context.client : 'http';
  return { ...rest, view: { runId: `run-${id}`, text: text.trim(), client, planner: 'embedded', data: {}, createdAt: at, updatedAt: at, ...state } };
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      try {
        resolve(body ? (JSON.parse(body) as Record<string, unknown>) : {});
      } catch (err) {
        // Plain text is a command too, as the planner reads it.
        if (!(err instanceof SyntaxError)) throw err;
        resolve({ text: body });
      }
    });
  });
}

const frame = (ev: RunEvent) => `event: ${ev.event}\ndata: ${JSON.stringify(ev.data)}\n\n`;
const stepEvent = (runId: string, s: StepView): RunEvent => ({ event: 'step', data: { runId, stepId: s.id, fn: s.fn, status: s.status, ...(s.summary ? { summary: s.summary } : {}) } });
const planEvent = (v: RunView): RunEvent => ({ event: 'plan', data: { runId: v.runId, planner: v.planner, steps: v.steps } });

export async function startFakePlanner(): Promise<FakePlanner> {
  const runs = new Map<string, FakeRun>();
  let counter = 0;
  const state: Omit<FakePlanner, 'url' | 'close'> = { commands: [], applied: [], approvals: [], events: true, held: [], monitors: undefined };
  // A "held" start call answers only once the CLI has followed the run's stream (or after 5 s), like a slow deploy.
  const releases = new Map<string, () => void>();

  const send = (res: http.ServerResponse, status: number, data: unknown, type = 'dev.ganglion.run.completed') => {
    res.writeHead(status, { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': `e${++counter}`, 'ce-source': '/ganglion/planner', 'ce-type': type });
    res.end(JSON.stringify(data));
  };
  const fail = (res: http.ServerResponse, status: number, code: string, message: string) => send(res, status, { error: { code, message } }, 'dev.ganglion.step.failed');
  const typeOf = (v: RunView) =>
    v.status === 'awaiting-approval' ? 'dev.ganglion.run.awaiting-approval' : v.status === 'running' ? 'dev.ganglion.run.started' : v.status === 'failed' || v.status === 'rejected' ? 'dev.ganglion.run.failed' : 'dev.ganglion.run.completed';
  const answerRun = (res: http.ServerResponse, run: FakeRun, withToken: boolean) => {
    if (withToken && run.view.status === 'awaiting-approval') run.tokenGiven = true;
    send(res, run.view.status === 'awaiting-approval' || run.view.status === 'running' ? 202 : 200, viewOf(run, withToken), typeOf(run.view));
  };
  const settle = (run: FakeRun, next: Partial<RunView>) => Object.assign(run.view, next, { updatedAt: new Date().toISOString() });
  const advance = (run: FakeRun) => {
    const next = run.script.shift();
    if (next) settle(run, next);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean); // function planner runs <id> <verb>
    if (url.pathname === '/function/monitor/monitors' && state.monitors) return send(res, 200, state.monitors);
    if (parts[0] !== 'function' || parts[1] !== 'planner') return fail(res, 404, 'not_found', `no function at ${url.pathname}`);
    if (parts.length === 2 && req.method === 'POST') {
      const body = await readJson(req);
      const text = typeof body.text === 'string' ? body.text : '';
      const context = (body.context ?? {}) as Record<string, unknown>;
      state.commands.push({ text, context });
      if (!text.trim()) return fail(res, 400, 'empty_command', 'the command is empty; say what to do, e.g. "Show me cluster status"');
      const run = newRun(++counter, text, context);
      if (context.yes === true && run.view.status === 'completed') state.applied.push(...run.view.steps.flatMap((s) => (s.changes ?? []).map(asChange)));
      runs.set(run.view.runId, run);
      if (/held/i.test(text)) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 5000);
          releases.set(run.view.runId, () => {
            clearTimeout(t);
            resolve();
          });
        });
        while (run.script.length > 0) advance(run);
        state.held.push('answered');
      }
      return answerRun(res, run, true);
    }
    if (parts[2] === 'runs' && parts.length === 3 && req.method === 'GET') return send(res, 200, { runs: [...runs.values()].reverse().map((r) => viewOf(r, false)) });
    const run = runs.get(parts[3] ?? '');
    if (!run) return fail(res, 404, 'run_not_found', `no run ${parts[3]}; list runs with GET /function/planner/runs`);
    const verb = parts[4];
    if (!verb && req.method === 'GET') {
      const snapshot = viewOf(run, false);
      advance(run);
      return send(res, 200, snapshot);
    }
    if (verb === 'events') {
      if (!state.events) return fail(res, 404, 'not_found', 'no events');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`: hello\n\n${frame(planEvent(run.view))}`);
      const release = releases.get(run.view.runId);
      if (release) {
        state.held.push('stream-opened');
        // Live steps, as the planner streams them while the start call is still held.
        advance(run);
        for (const s of run.view.steps) res.write(frame(stepEvent(run.view.runId, s)));
        setTimeout(release, 100);
        return;
      }
      // A stopped run replays its steps; a scripted one moves a state per event, as a live run would.
      if (run.script.length === 0) for (const s of run.view.steps.filter((x) => x.status !== 'pending')) res.write(frame(stepEvent(run.view.runId, s)));
      while (run.script.length > 0) {
        advance(run);
        for (const s of run.view.steps) res.write(frame(stepEvent(run.view.runId, s)));
      }
      // As the planner does: a run no one awaits hands its token to the stream, once.
      const view = viewOf(run, !run.tokenGiven);
      if (view.approval) res.end(frame({ event: 'awaiting-approval', data: { runId: view.runId, changes: view.approval.changes, approveUrl: view.approval.approveUrl, ...(view.approval.token ? { token: view.approval.token } : {}) } }));
      else res.end(frame({ event: 'done', data: view }));
      return;
    }
    if (verb === 'approve' || verb === 'reject') {
      const body = await readJson(req);
      const token = typeof body.token === 'string' ? body.token : '';
      if (run.view.status !== 'awaiting-approval') return fail(res, 409, 'run_not_awaiting_approval', `run ${run.view.runId} is ${run.view.status}`);
      if (token !== run.token) {
        state.approvals.push({ runId: run.view.runId, token, status: 403 });
        return fail(res, 403, 'approval_denied', 'the approval token does not match this run');
      }
      state.approvals.push({ runId: run.view.runId, token, status: 200 });
      if (verb === 'reject') {
        settle(run, { status: 'rejected', summary: 'rejected: nothing was applied', steps: run.view.steps.map((s) => ({ ...s, status: 'rejected' })) });
        return answerRun(res, run, false);
      }
      state.applied.push(...run.changes);
      settle(run, { status: 'completed', summary: `${run.view.steps[0]?.fn} applied: ${run.changes.length} change(s)`, steps: run.view.steps.map((s) => ({ ...s, status: 'completed', summary: 'applied', approvedBy: 'person' })) });
      return answerRun(res, run, false);
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
