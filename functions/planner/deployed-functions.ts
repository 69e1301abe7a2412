/**
 * The functions the gateway serves, read from `GET /system/functions` with the gateway's basic-auth credentials,
 * as faas-cli list reads them. The planner plans only with these: OpenFaaS CE deploys at most 15 of stack.yml's 20.
 */
import * as z from 'zod';
import { isAbortError } from '../../kernel/errors.js';
import type { GatewayCredentials } from '../../kernel/secrets.js';

/** The list, or why it could not be read (the planner then plans with every stack.yml function and says so). */
export type DeployedList = { ok: true; names: ReadonlySet<string> } | { ok: false; reason: string };

export interface DeployedFunctionsOptions {
  gatewayUrl: string;
  /** Read at every fetch, so a rotated secret is picked up; undefined = no credentials anywhere. */
  credentials: () => GatewayCredentials | undefined;
  /** GANGLION_CATALOG_TTL_MS: how long a read is reused. */
  ttlMs: number;
  timeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

// faas-cli's FunctionStatus: only the name matters here; the rest is passed over.
const listing = z.array(z.object({ name: z.string().min(1) }));

export function createDeployedFunctions({ gatewayUrl, credentials, ttlMs, timeoutMs = 5_000, now = Date.now, fetch: doFetch = fetch }: DeployedFunctionsOptions) {
  const url = `${gatewayUrl.replace(/\/+$/, '')}/system/functions`;
  // Only a list that was read is kept: a fixed secret or a gateway back up counts from the next run.
  let cached: { list: DeployedList & { ok: true }; at: number } | undefined;

  async function read(): Promise<DeployedList> {
    const creds = credentials();
    if (!creds) return { ok: false, reason: `no gateway credentials to read ${url} (mount the secrets basic-auth-user and basic-auth-password, or set GANGLION_GATEWAY_PASSWORD)` };
    let res: Response;
    try {
      const auth = Buffer.from(`${creds.user}:${creds.password}`).toString('base64');
      res = await doFetch(url, { headers: { authorization: `Basic ${auth}`, accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const why = isAbortError(err) ? `no answer within ${timeoutMs} ms` : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      return { ok: false, reason: `cannot read ${url} (${why}); check OPENFAAS_URL and that the gateway is running` };
    }
    const text = await res.text();
    if (res.status === 401 || res.status === 403) return { ok: false, reason: `the gateway refused the credentials from ${creds.from} (${res.status} at ${url}); check the basic-auth-password secret` };
    if (!res.ok) return { ok: false, reason: `${url} answered ${res.status}: ${text.trim().slice(0, 200)}` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { ok: false, reason: `${url} did not answer JSON (${(err as Error).message})` };
    }
    const parsed = listing.safeParse(json);
    if (!parsed.success) return { ok: false, reason: `${url} did not answer a list of functions` };
    return { ok: true, names: new Set(parsed.data.map((f) => f.name)) };
  }

  /** The last list read while it is younger than ttlMs; `refresh` reads again (a plan named a function the list lacks). */
  return async function deployedFunctions({ refresh = false }: { refresh?: boolean } = {}): Promise<DeployedList> {
    if (!refresh && cached && now() - cached.at < ttlMs) return cached.list;
    const list = await read();
    if (list.ok) cached = { list, at: now() };
    return list;
  };
}

export type DeployedFunctions = ReturnType<typeof createDeployedFunctions>;
