/** The planner's HTTP API through the real gateway: runs named by the command event's id, replays, answering at once, the audit route. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { auditRecords, stateOf } from '../../testing/state-of.js';
import type { Gateway } from '../../gateway/index.js';
import type { RunView } from '../../events/run-schema.js';
import { startHomeLabGateway, type HomeLabGateway } from '../../testing/scenario-stack.js';
import { authedFetch } from '../../testing/auth.js';

// every call authenticates as the embedded stack's admin, as the local CLI does
const authed = authedFetch(() => gw.adminToken);

let stack: HomeLabGateway;
let gw: Gateway;
let seq = 0;

test.before(async () => {
  stack = await startHomeLabGateway();
  ({ gw } = stack);
});
test.after(async () => {
  await stack?.stop();
});

const newId = () => `t${Date.now().toString(36)}-${++seq}`;

/** A dev.ganglion.command CloudEvent in binary mode, as the CLI sends it. */
async function commandEvent(id: string, text: string, { source = '/test', headers = {} }: { source?: string; headers?: Record<string, string> } = {}) {
  const res = await authed(`${gw.url}/function/planner`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': id, 'ce-source': source, 'ce-type': 'dev.ganglion.command', ...headers },
    body: JSON.stringify({ text, context: { client: 'e2e' } }),
  });
  return { status: res.status, type: res.headers.get('ce-type'), body: (await res.json()) as Partial<RunView> & { error?: { code: string; message: string } } };
}

async function listRuns(): Promise<RunView[]> {
  return ((await (await authed(`${gw.url}/function/planner/runs?limit=200`)).json()) as { runs: RunView[] }).runs;
}

/** The events of a run's stream until it ends (at done or awaiting-approval). */
async function streamOf(runId: string): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const body = await (await authed(`${gw.url}/function/planner/runs/${runId}/events`)).text();
  return [...body.matchAll(/^event: (\S+)\ndata: (.*)$/gm)].map((m) => ({ event: m[1] ?? '', data: JSON.parse(m[2] ?? '{}') as Record<string, unknown> }));
}

interface AuditAnswer { records?: { runId: string; result: string }[]; continue?: string; skipped?: { name: string; reason: string }[]; error?: { code: string; message: string } }
async function audit(query = ''): Promise<{ status: number; body: AuditAnswer }> {
  const res = await authed(`${gw.url}/function/planner/audit${query}`);
  return { status: res.status, body: (await res.json()) as AuditAnswer };
}

test('a command sent as a CloudEvent runs under the event\'s id', async () => {
  const id = newId();
  const r = await commandEvent(id, 'Show me cluster status');
  assert.is(r.status, 200, JSON.stringify(r.body).slice(0, 300));
  assert.is(r.body.runId, id);
  const got = (await (await authed(`${gw.url}/function/planner/runs/${id}`)).json()) as RunView;
  assert.is(got.status, 'completed');
  assert.is(got.text, 'Show me cluster status');
});

test('the same command event again is a replay: the same run answers and no second run starts', async () => {
  const id = newId();
  const first = await commandEvent(id, 'List all failing pods');
  const again = await commandEvent(id, 'List all failing pods');
  assert.equal(again.body, first.body, 'the same source and id get the first answer');
  const elsewhere = await commandEvent(id, 'Scale the web tier to 5 replicas', { source: '/another-client' });
  assert.is(elsewhere.status, 200);
  assert.is(elsewhere.body.runId, id);
  assert.is(elsewhere.body.text, 'List all failing pods', 'the run that holds the id answers, not a new one');
  assert.is(elsewhere.body.approval, undefined);
  assert.is((await listRuns()).filter((x) => x.runId === id).length, 1);
  assert.not.ok((await listRuns()).some((x) => x.text === 'Scale the web tier to 5 replicas'), 'the replayed text never ran');
});

test('an event id that cannot name a run is refused with 400 naming the rule, and nothing runs', async () => {
  for (const id of ['Has_Capitals', 'short', `x${'y'.repeat(90)}`, '../runs/x1']) {
    const r = await commandEvent(id, 'Restart placemyparents');
    assert.is(r.status, 400, id);
    assert.is(r.body.error?.code, 'bad_run_id');
    assert.match(r.body.error?.message ?? '', 'a-z, 0-9 and "-"');
  }
  assert.not.ok((await listRuns()).some((x) => x.text === 'Restart placemyparents'));
});

test('plain JSON and plain text commands keep getting an id the planner makes', async () => {
  const json = await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-call-id': 'caller-chosen-1' }, body: JSON.stringify({ text: 'Show me cluster status' }) });
  const jsonRun = (await json.json()) as RunView;
  assert.is(json.status, 200);
  assert.is.not(jsonRun.runId, 'caller-chosen-1');
  assert.match(jsonRun.runId, /^[a-z0-9]+-[0-9a-f]{10}$/);
  const text = await authed(`${gw.url}/function/planner`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Show me cluster status' });
  const textRun = (await text.json()) as RunView;
  assert.match(textRun.runId, /^[a-z0-9]+-[0-9a-f]{10}$/);
  assert.is.not(textRun.runId, jsonRun.runId);
});

test('Prefer: respond-async answers at once with the run running; its event stream carries no token, the starter (an approver) fetches one, and approving applies', async () => {
  const id = newId();
  const r = await commandEvent(id, 'scale placemyparents to 4', { headers: { prefer: 'respond-async' } });
  assert.is(r.status, 202);
  assert.is(r.type, 'dev.ganglion.run.started');
  assert.is(r.body.status, 'running');
  assert.is(r.body.approval, undefined);
  const events = await streamOf(id);
  const stop = events.at(-1);
  assert.is(stop?.event, 'awaiting-approval', JSON.stringify(events).slice(0, 500));
  assert.is(stop?.data.token, undefined, 'the stream never carries the approval token');
  const fetched = await authed(`${gw.url}/function/planner/runs/${id}/approval`);
  assert.is(fetched.status, 200);
  const token = ((await fetched.json()) as { token?: string }).token;
  assert.type(token, 'string');
  const approved = await authed(`${gw.url}/function/planner/runs/${id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', prefer: 'respond-async' }, body: JSON.stringify({ token }) });
  assert.is(approved.status, 202);
  assert.is(((await approved.json()) as RunView).status, 'running');
  const after = await streamOf(id);
  const done = after.at(-1);
  assert.is(done?.event, 'done');
  assert.is(done?.data.status, 'completed', JSON.stringify(done?.data).slice(0, 400));
  assert.ok((await auditRecords(stateOf(stack.sim.kubeconfigPath))).some((a) => a.runId === id && a.result === 'applied'));
});

test('GET /audit serves the AuditRecord objects page by page, oldest first, from since on, with a validated limit', async () => {
  const all = await auditRecords(stateOf(stack.sim.kubeconfigPath));
  assert.ok(all.length >= 2, 'the approved scale left an attempt and a result');
  const whole = await audit();
  assert.is(whole.status, 200);
  assert.equal(whole.body.records, all);
  assert.is(whole.body.continue, undefined);
  assert.equal(whole.body.skipped, []);
  // one record a page: following continue reads them all, in order
  const paged: unknown[] = [];
  let token: string | undefined;
  do {
    const page = await audit(`?limit=1${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    assert.is(page.status, 200);
    paged.push(...(page.body.records ?? []));
    token = page.body.continue;
  } while (token);
  assert.equal(paged, all);
  const last = all.at(-1) as { time: string };
  const since = await audit(`?since=${encodeURIComponent(last.time)}`);
  assert.equal(since.body.records, all.filter((r) => r.time >= last.time));
  for (const bad of ['0', '1001', 'ten', '2.5', '-3']) {
    const r = await audit(`?limit=${bad}`);
    assert.is(r.status, 400, bad);
    assert.match(r.body.error?.message ?? '', 'limit must be a whole number from 1 to 1000');
  }
  assert.is((await audit('?since=soon')).status, 400);
});

test.run();
