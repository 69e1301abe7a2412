/**
 * The invoke worker: what a CronJob made by automate runs at each firing — POST the body to
 * $OPENFAAS_URL/function/<function>, as cron-connector would, but with the body the schedule was made with. A 2xx is
 * a completed result carrying the function's summary; anything else fails the Job with the status and the answer.
 */
import { GanglionError } from '../kernel/errors.js';
import type { Role } from './worker-io.js';

const excerpt = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);

/** The function's own summary when it answered the step result shape ({summary}), otherwise the start of the body. */
function summaryOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { summary?: unknown };
    if (typeof parsed.summary === 'string') return parsed.summary;
  } catch {
    // not JSON: the excerpt below says what came back
  }
  return excerpt(text);
}

export const invokeRole: Role = async (args, io) => {
  const fn = args.positionals?.[0];
  if (!fn || args.positionals!.length > 1 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(fn)) {
    throw new GanglionError(400, 'bad_function', `invoke needs one function name: invoke <function> --body '<json>' (got ${JSON.stringify(args.positionals ?? [])})`);
  }
  const body = args.body ?? '{}';
  try {
    JSON.parse(body);
  } catch (err) {
    throw new GanglionError(400, 'bad_body', `--body must be JSON: ${(err as Error).message}`);
  }
  const url = `${io.config.gatewayUrl}/function/${fn}`;
  io.progress(`POST ${url}`);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      // GANGLION_TOKEN: the CronJob's pod has it from the Secret ganglion-invoke-token (cluster/invoke-cronjob.ts)
      headers: { 'content-type': 'application/json', 'x-connector': 'ganglion-cronjob', 'user-agent': 'ganglion-worker/invoke', ...(io.config.env.GANGLION_TOKEN ? { authorization: `Bearer ${io.config.env.GANGLION_TOKEN}` } : {}) },
      body,
      signal: AbortSignal.timeout(args.timeoutMs),
    });
  } catch (err) {
    // undici wraps the socket error (an AggregateError when every address was refused) in `cause`
    const e = err as { name?: string; cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> }; message?: string };
    const why = e.name === 'TimeoutError' ? `no answer within ${args.timeoutMs} ms` : (e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message ?? String(err));
    throw new GanglionError(502, 'gateway_unreachable', `POST ${url} failed (${why}); OPENFAAS_URL must name the gateway and the NetworkPolicy must let this pod reach it`);
  }
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    throw new GanglionError(502, 'invoke_failed', `POST ${url} answered ${res.status}: ${excerpt(text) || '(empty body)'}`, { details: { status: res.status } });
  }
  io.progress(`${fn} answered ${res.status}`);
  return { summary: `${fn} answered ${res.status}: ${summaryOf(text)}`, data: { function: fn, status: res.status } };
};
