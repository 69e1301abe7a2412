/** The planner's HTTP API as the CLI uses it: send a command, read, list, approve and reject runs, follow a run's events. */
import { GanglionError } from '../kernel/errors.js';
import { openRequest, request, type HttpAnswer } from './http-request.js';
import { readEventStream, type StreamEvent } from './event-stream.js';
import { toRunView, type RunView } from './read-run.js';

export interface CommandContext {
  /** Goes into the audit log as who asked. */
  client: 'ganglion-cli';
  yes?: boolean;
  [key: string]: unknown;
}

/** What GET /audit answers: one page of records, oldest first; `continue` for the next; objects left out and why. */
export interface AuditPage {
  records: unknown[];
  continue?: string;
  skipped: Array<{ name: string; reason: string }>;
}

export interface PlannerClient {
  gateway: string;
  /** Starts a run under `runId` (the command event's id); the planner answers at once, the run `running`. */
  command(text: string, context: CommandContext, runId: string): Promise<RunView>;
  getRun(runId: string): Promise<RunView>;
  listRuns(): Promise<unknown>;
  /**
   * The approval token of a waiting run this caller started, when it holds approver (GET /runs/<id>/approval);
   * undefined when the planner refuses (403: another starter, or a lower role) — the stream never carries one.
   */
  approvalToken(runId: string): Promise<string | undefined>;
  /** Approves; the planner answers at once and the run's event stream tells the rest. */
  /** with the run's token, or without one as this caller (who must hold approver) */
  approve(runId: string, token?: string): Promise<RunView>;
  reject(runId: string, token?: string): Promise<RunView>;
  /** Server-sent events of a run; undefined when the planner has no event stream for it. */
  events(runId: string, signal: AbortSignal): Promise<AsyncIterable<StreamEvent> | undefined>;
  /** One page of the planner's audit log (`limit` records from the `continue` of the page before). */
  audit(page: { limit: number; continue?: string }): Promise<AuditPage>;
}

/**
 * A fresh command id, which becomes the run's id: the time, then 12 random digits. Always digits, so a run id is
 * never mistaken for a word at the prompt; Math.random, as node:crypto is left unloaded to keep start-up short.
 */
export function newCommandId(): string {
  return `${Date.now().toString(36)}-${Math.random().toFixed(12).slice(2)}`;
}

/** The event data of a binary or structured CloudEvent answer, or a plain JSON body. */
export function answerData(answer: HttpAnswer): unknown {
  const text = answer.body.toString('utf8');
  if (text.trim() === '') return undefined;
  const type = String(answer.headers['content-type'] ?? '').toLowerCase();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (type.startsWith('application/cloudevents') && typeof parsed === 'object' && parsed !== null && 'data' in parsed) {
    return (parsed as { data: unknown }).data;
  }
  return parsed;
}

function failure(answer: HttpAnswer, what: string, gateway: string): GanglionError {
  const data = answerData(answer);
  const err = typeof data === 'object' && data !== null && 'error' in data ? (data as { error: unknown }).error : data;
  const message = typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : typeof err === 'string' ? err.trim() : '';
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : `http_${answer.status}`;
  if (answer.status === 404 && !message) {
    return new GanglionError(404, 'not_found', `${what}: the gateway at ${gateway} has no such path (404); is the planner function deployed?`);
  }
  return new GanglionError(answer.status || 502, code, `${what} failed (HTTP ${answer.status})${message ? `: ${message}` : ''}`);
}

function expectRun(answer: HttpAnswer, what: string, gateway: string): RunView {
  if (answer.status >= 400) throw failure(answer, what, gateway);
  const view = toRunView(answerData(answer));
  if (!view) throw new GanglionError(502, 'bad_answer', `${what}: the planner answered HTTP ${answer.status} without a run ({runId, status, ...}); is ${gateway} a Ganglion gateway?`);
  return view;
}

export function normaliseGateway(raw: string): string {
  let url = raw.trim().toLowerCase().replace(/\/+$/, '');
  if (!/^https?:\/\//.test(url)) url = `http://${url}`;
  return url;
}

export function createPlannerClient({ gateway, token }: { gateway: string; token?: string }): PlannerClient {
  const base = `${gateway}/function/planner`;
  const json = { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  // The CLI follows every run on its event stream and fetches the approval token when it stops: no call waits for the run.
  const async = { prefer: 'respond-async' };
  const runUrl = (id: string) => `${base}/runs/${encodeURIComponent(id)}`;
  return {
    gateway,
    async command(text, context, runId) {
      const headers = {
        ...json,
        ...async,
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': runId,
        'ce-source': '/ganglion/cli',
        'ce-type': 'dev.ganglion.command',
      };
      const answer = await request({ method: 'POST', url: base, headers, body: JSON.stringify({ text, context }) });
      return expectRun(answer, `sending "${text}" to the planner`, gateway);
    },
    async getRun(runId) {
      return expectRun(await request({ method: 'GET', url: runUrl(runId), headers: json }), `reading run ${runId}`, gateway);
    },
    async listRuns() {
      const answer = await request({ method: 'GET', url: `${base}/runs`, headers: json });
      if (answer.status >= 400) throw failure(answer, 'listing runs', gateway);
      return answerData(answer);
    },
    async approvalToken(runId) {
      const answer = await request({ method: 'GET', url: `${runUrl(runId)}/approval`, headers: json });
      // 403: not this caller's to have; 409: no longer waiting; 404: a planner older than the route
      if (answer.status === 403 || answer.status === 409 || answer.status === 404) return undefined;
      if (answer.status >= 400) throw failure(answer, `fetching the approval token of run ${runId}`, gateway);
      const data = answerData(answer);
      const got = typeof data === 'object' && data !== null ? (data as { token?: unknown }).token : undefined;
      return typeof got === 'string' && got ? got : undefined;
    },
    async approve(runId, token) {
      const body = JSON.stringify(token ? { token } : { self: true });
      const answer = await request({ method: 'POST', url: `${runUrl(runId)}/approve`, headers: { ...json, ...async, 'content-type': 'application/json' }, body });
      return expectRun(answer, `approving run ${runId}`, gateway);
    },
    async reject(runId, token) {
      const body = JSON.stringify(token ? { token } : { self: true });
      const answer = await request({ method: 'POST', url: `${runUrl(runId)}/reject`, headers: { ...json, 'content-type': 'application/json' }, body });
      return expectRun(answer, `rejecting run ${runId}`, gateway);
    },
    async events(runId, signal) {
      const res = await openRequest({ method: 'GET', url: `${runUrl(runId)}/events`, headers: { ...json, accept: 'text/event-stream' }, signal });
      if (res.statusCode !== 200 || !String(res.headers['content-type'] ?? '').includes('text/event-stream')) {
        res.resume();
        return undefined;
      }
      return readEventStream(res);
    },
    async audit(page) {
      const query = new URLSearchParams({ limit: String(page.limit), ...(page.continue ? { continue: page.continue } : {}) });
      const answer = await request({ method: 'GET', url: `${base}/audit?${query}`, headers: json });
      if (answer.status >= 400) throw failure(answer, 'reading the audit log', gateway);
      const data = answerData(answer);
      if (typeof data === 'object' && data !== null && Array.isArray((data as { records?: unknown }).records)) {
        const got = data as { records: unknown[]; continue?: unknown; skipped?: unknown };
        const skipped = Array.isArray(got.skipped) ? (got.skipped as AuditPage['skipped']) : [];
        return { records: got.records, skipped, ...(typeof got.continue === 'string' && got.continue ? { continue: got.continue } : {}) };
      }
      throw new GanglionError(502, 'bad_answer', `reading the audit log: the planner answered HTTP ${answer.status} without {records}; is ${gateway} a Ganglion gateway?`);
    },
  };
}
