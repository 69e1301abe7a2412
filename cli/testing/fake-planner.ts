/**
 * A fake planner for CLI tests: a real HTTP server on port 0 speaking the planner's API (functions/planner/http-api.md)
 * with scripted runs, recording what it was asked and what it "applied".
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChange {
  object: string;
  field: string;
  before: unknown;
  after: unknown;
}

interface FakeRun {
  runId: string;
  status: string;
  text: string;
  summary: string;
  question?: string;
  steps: { id: string; fn: string; status: string; summary?: string; mutates: boolean; changes?: FakeChange[]; error?: { code: string; message: string } }[];
  data: Record<string, unknown>;
  token?: string;
  changes: FakeChange[];
  /** Further states a slow run moves through, one per poll or event. */
  script: { steps: FakeRun['steps']; status: string; summary: string }[];
}

export interface FakePlanner {
  url: string;
  /** Every command body received. */
  commands: { text: string; context: Record<string, unknown> }[];
  /** Changes applied (after approval or --yes). */
  applied: FakeChange[];
  approvals: { runId: string; token: string; status: number }[];
  /** Set false to answer 404 on /events, so the CLI polls. */
  events: boolean;
  /** Order of what happened to "held" runs: 'stream-opened', 'answered'. */
  held: string[];
  /** What GET /function/monitor/monitors answers; undefined = no monitor function (404). */
  monitors: unknown[] | undefined;
  close(): Promise<void>;
}

const WEB_CHANGE: FakeChange = { object: 'deployment/web-frontend (web)', field: 'replicas', before: 3, after: 5 };
const IMAGE_CHANGE: FakeChange = { object: 'deployment/placemyparents (apps)', field: 'image', before: 'registry.local/placemyparents:1.4', after: 'registry.local/placemyparents:2.0' };

function view(run: FakeRun, withToken: boolean): Record<string, unknown> {
  const { token, script: _script, changes, ...rest } = run;
  const approval = run.status === 'awaiting-approval' ? { changes, approveUrl: `/function/planner/runs/${run.runId}/approve`, ...(withToken ? { token } : {}) } : undefined;
  return { ...rest, planner: 'embedded', ...(approval ? { approval } : {}) };
}

function newRun(id: number, text: string, yes: boolean): FakeRun {
  const runId = `run-${id}`;
  const base = { runId, text, data: {}, changes: [] as FakeChange[], script: [] as FakeRun['script'] };
  if (/status/i.test(text)) {
    return { ...base, status: 'completed', summary: '3 nodes ready, 24 pods: 20 running, 4 unhealthy', data: { s1: {}, text: 'NODES  pi-1 pi-2 pi-3 (arm64, Ready)\nPODS   20 running, 2 pending, 2 failed' }, steps: [{ id: 's1', fn: 'cluster-status', status: 'completed', summary: '3 nodes ready', mutates: false }] };
  }
  if (/ambiguous/i.test(text)) return { ...base, status: 'needs-input', summary: 'which Deployment?', question: 'Two Deployments match "web": web-frontend, web-api. Which one?', steps: [] };
  if (/broken/i.test(text)) return { ...base, status: 'failed', summary: 'no Deployment "placemyparnts"; closest: placemyparents', steps: [{ id: 's1', fn: 'deploy', status: 'failed', mutates: true, error: { code: 'not_found', message: 'no Deployment "placemyparnts"; closest: placemyparents' } }] };
  if (/slow scale/i.test(text)) {
    const step = (status: string) => ({ id: 's1', fn: 'scale', status, mutates: true, changes: [WEB_CHANGE] });
    return {
      ...base, status: 'running', summary: 'planning', steps: [step('running')], token: `tok-${id}`, changes: [WEB_CHANGE],
      script: [{ status: 'awaiting-approval', summary: 'waiting for approval: scale', steps: [step('awaiting-approval')] }],
    };
  }
  if (/slow/i.test(text)) {
    const step = (status: string, summary?: string) => ({ id: 's1', fn: 'cluster-status', status, mutates: false, ...(summary ? { summary } : {}) });
    const step2 = (status: string, summary?: string) => ({ id: 's2', fn: 'failing-pods', status, mutates: false, ...(summary ? { summary } : {}) });
    return {
      ...base, status: 'running', summary: 'still running', steps: [step('running'), step2('pending')],
      script: [
        { status: 'running', summary: 'still running', steps: [step('completed', '3 nodes ready'), step2('running')] },
        { status: 'completed', summary: 'slow run finished: 2 steps', steps: [step('completed', '3 nodes ready'), step2('completed', '4 failing pods')] },
      ],
    };
  }
  const change = /deploy/i.test(text) ? IMAGE_CHANGE : WEB_CHANGE;
  const fn = change === IMAGE_CHANGE ? 'deploy' : 'scale';
  const run: FakeRun = { ...base, status: 'awaiting-approval', summary: `waiting for approval: ${fn}`, token: `tok-${id}`, changes: [change], steps: [{ id: 's1', fn, status: 'awaiting-approval', summary: 'dry run', mutates: true, changes: [change] }] };
  if (yes) return { ...run, status: 'completed', summary: `${fn} applied`, steps: [{ ...run.steps[0]!, status: 'completed', summary: 'applied' }] };
  return run;
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      try {
        resolve(body ? (JSON.parse(body) as Record<string, unknown>) : {});
      } catch {
        resolve({ text: body });
      }
    });
  });
}

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
  const answerRun = (res: http.ServerResponse, run: FakeRun, withToken: boolean) =>
    send(res, run.status === 'awaiting-approval' || run.status === 'running' ? 202 : 200, view(run, withToken), run.status === 'failed' ? 'dev.ganglion.run.failed' : 'dev.ganglion.run.completed');
  const advance = (run: FakeRun) => {
    const next = run.script.shift();
    if (next) Object.assign(run, next);
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
      if (!text.trim()) return fail(res, 400, 'bad_request', 'empty command');
      const run = newRun(++counter, text, context.yes === true);
      if (context.yes === true && run.status === 'completed') state.applied.push(...run.steps.flatMap((s) => s.changes ?? []));
      Object.assign(run, { client: context.client, createdAt: new Date().toISOString() });
      runs.set(run.runId, run);
      if (/held/i.test(text)) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 5000);
          releases.set(run.runId, () => {
            clearTimeout(t);
            resolve();
          });
        });
        while (run.script.length > 0) advance(run);
        state.held.push('answered');
      }
      return answerRun(res, run, true);
    }
    if (parts[2] === 'runs' && parts.length === 3) return send(res, 200, { runs: [...runs.values()].reverse().map((r) => view(r, false)) });
    const run = runs.get(parts[3] ?? '');
    if (!run) return fail(res, 404, 'not_found', `no run ${parts[3]}`);
    const verb = parts[4];
    if (!verb && req.method === 'GET') {
      const snapshot = view(run, false);
      advance(run);
      return send(res, 200, snapshot);
    }
    if (verb === 'events') {
      if (!state.events) return fail(res, 404, 'not_found', 'no events');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`: hello\n\nevent: plan\ndata: ${JSON.stringify({ runId: run.runId, steps: run.steps })}\n\n`);
      const release = releases.get(run.runId);
      if (release) {
        state.held.push('stream-opened');
        // Live steps, as the planner streams them while the start call is still held.
        advance(run);
        res.write(`event: step\ndata: ${JSON.stringify({ runId: run.runId, stepId: 's1' })}\n\n`);
        setTimeout(release, 100);
        return;
      }
      while (run.script.length > 0) {
        advance(run);
        res.write(`event: step\ndata: ${JSON.stringify({ runId: run.runId, stepId: 's1' })}\n\n`);
      }
      // As the planner does: a run no one awaits hands its token to the stream, once.
      if (run.status === 'awaiting-approval') res.end(`event: awaiting-approval\ndata: ${JSON.stringify({ runId: run.runId, changes: run.changes, token: run.token })}\n\n`);
      else res.end(`event: done\ndata: ${JSON.stringify(view(run, false))}\n\n`);
      return;
    }
    if (verb === 'approve' || verb === 'reject') {
      const body = await readJson(req);
      const token = typeof body.token === 'string' ? body.token : '';
      if (run.status !== 'awaiting-approval') return fail(res, 409, 'run_not_awaiting_approval', `run ${run.runId} is ${run.status}`);
      if (token !== run.token) {
        state.approvals.push({ runId: run.runId, token, status: 403 });
        return fail(res, 403, 'approval_denied', 'the approval token does not match this run');
      }
      state.approvals.push({ runId: run.runId, token, status: 200 });
      if (verb === 'reject') {
        Object.assign(run, { status: 'rejected', summary: 'rejected: nothing was applied', steps: run.steps.map((s) => ({ ...s, status: 'rejected' })) });
        return answerRun(res, run, false);
      }
      state.applied.push(...run.changes);
      Object.assign(run, { status: 'completed', summary: `${run.steps[0]?.fn} applied: ${run.changes.length} change(s)`, steps: run.steps.map((s) => ({ ...s, status: 'completed', summary: 'applied' })) });
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
