/**
 * The gateway's run-time schedules API (/system/schedules, basic auth) from a function: read, add or replace a
 * schedule. A gateway without the API (the real OpenFaaS gateway answers 404) is reported as `unsupported`, so
 * callers fall back to the monitor function's own stack.yml cron.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeConfig } from '../../kernel/config.js';
import { GanglionError } from '../../kernel/errors.js';
import { readSecret } from '../../kernel/secrets.js';

export interface ScheduleEntry {
  id: string;
  function: string;
  schedule: string;
  body?: string;
  nextRun?: string;
}

/** The gateway's admin password: the OpenFaaS secret basic-auth-password, GANGLION_GATEWAY_PASSWORD, or $GANGLION_HOME/basic-auth-password. */
function password(config: RuntimeConfig): string {
  const configured = readSecret(config, 'basic-auth-password', config.gateway.password);
  if (configured) return configured;
  try {
    return readFileSync(path.join(config.home, 'basic-auth-password'), 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

async function call(config: RuntimeConfig, method: string, id: string, body: unknown, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const url = `${config.gatewayUrl}/system/schedules/${encodeURIComponent(id)}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`admin:${password(config)}`).toString('base64')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
    });
  } catch (cause) {
    if (signal.aborted) throw cause;
    throw new GanglionError(502, 'gateway_unreachable', `the gateway at ${config.gatewayUrl} is unreachable (${(cause as Error).message}); set OPENFAAS_URL to the gateway`, { cause });
  }
  const text = await res.text();
  if (res.status === 401) throw new GanglionError(502, 'gateway_auth', `the gateway refused the admin password for ${method} /system/schedules; set the basic-auth-password secret or GANGLION_GATEWAY_PASSWORD`);
  return { status: res.status, text };
}

/** The schedule with this id, undefined when there is none, or 'unsupported' when the gateway has no schedules API. */
export async function readSchedule(config: RuntimeConfig, id: string, signal: AbortSignal): Promise<ScheduleEntry | undefined | 'unsupported'> {
  const { status, text } = await call(config, 'GET', id, undefined, signal);
  if (status === 200) return JSON.parse(text) as ScheduleEntry;
  // Ganglion's gateway says "no schedule <id>"; any other 404 means the route does not exist.
  if (status === 404) return /^no schedule /.test(text) ? undefined : 'unsupported';
  if (status === 405) return 'unsupported';
  throw new GanglionError(502, 'gateway_error', `GET /system/schedules/${id} answered ${status}: ${text.trim().slice(0, 300)}`);
}

export async function putSchedule(config: RuntimeConfig, id: string, entry: { function: string; schedule: string; body?: Record<string, unknown> }, signal: AbortSignal): Promise<ScheduleEntry | 'unsupported'> {
  const { status, text } = await call(config, 'PUT', id, entry, signal);
  if (status === 200 || status === 201) return JSON.parse(text) as ScheduleEntry;
  if (status === 404 || status === 405) return 'unsupported';
  throw new GanglionError(status === 400 ? 400 : 502, status === 400 ? 'invalid_schedule' : 'gateway_error', `the gateway refused schedule ${id}: ${text.trim().slice(0, 300)}`);
}

/** Removes a schedule; true when there was one. */
export async function deleteSchedule(config: RuntimeConfig, id: string, signal: AbortSignal): Promise<boolean | 'unsupported'> {
  const { status, text } = await call(config, 'DELETE', id, undefined, signal);
  if (status === 204 || status === 200) return true;
  if (status === 404) return /^no schedule /.test(text) ? false : 'unsupported';
  if (status === 405) return 'unsupported';
  throw new GanglionError(502, 'gateway_error', `DELETE /system/schedules/${id} answered ${status}: ${text.trim().slice(0, 300)}`);
}
