/**
 * Delivers a Message to Slack (incoming webhook: JSON with text and blocks, Slack answers "ok") or to a generic JSON
 * webhook (signed with HMAC-SHA256 when a key is set), retrying 429, 5xx and network errors with doubling back-off.
 */
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeConfig } from '../kernel/config.js';
import { GanglionError, isAbortError } from '../kernel/errors.js';
import { slackPayload, webhookBody, type Message } from './message.js';
import { readSecret, SECRET } from '../kernel/secrets.js';

export type Channel = 'slack' | 'webhook';

/** A `notify` choice as schemas take it (slack, webhook, both, none) → the channels to send to. */
export function channelsFor(choice: Channel | 'both' | 'none'): Channel[] {
  return choice === 'both' ? ['slack', 'webhook'] : choice === 'none' ? [] : [choice];
}

export interface DeliveryOptions {
  config: RuntimeConfig;
  now?: () => Date;
  signal?: AbortSignal;
  /** Injected in tests: the wait between attempts. */
  delayFn?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
}

export interface DeliveryResult {
  channel: Channel;
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

const MAX_WAIT_MS = 30_000;
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Where a channel points, or undefined when it is not configured. */
export function channelUrl(config: RuntimeConfig, channel: Channel): string | undefined {
  const s = channel === 'slack' ? readSecret(config, SECRET.slack.name, config.alerts.slackWebhookUrl) : readSecret(config, SECRET.webhook.name, config.alerts.alertWebhookUrl);
  return s || undefined;
}

export const setupHint = (channel: Channel) => channel === 'slack'
  ? `set the OpenFaaS secret ${SECRET.slack.name} (faas-cli secret create ${SECRET.slack.name} --from-literal https://hooks.slack.com/services/…) or ${SECRET.slack.env}`
  : `set the OpenFaaS secret ${SECRET.webhook.name} or ${SECRET.webhook.env}`;

/** Host and path start only: a webhook URL is itself a secret. */
const redact = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.split('/').slice(0, 2).join('/')}/…`;
  } catch {
    return '(unparseable URL)';
  }
};

async function post(url: string, body: string, headers: Record<string, string>, opts: DeliveryOptions, channel: Channel): Promise<DeliveryResult> {
  const attempts = opts.config.alerts.notifyAttempts;
  const delay = opts.delayFn ?? ((ms: number, s?: AbortSignal) => sleep(ms, undefined, s ? { signal: s } : {}));
  let wait = opts.config.alerts.notifyRetryMs;
  let last: DeliveryResult = { channel, ok: false, attempts: 0 };
  for (let n = 1; n <= attempts; n++) {
    let retryAfterMs: number | undefined;
    try {
      const timeout = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
      const res = await fetch(url, { method: 'POST', headers, body, signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout });
      const text = (await res.text()).slice(0, 300);
      if (res.ok) return { channel, ok: true, attempts: n, status: res.status };
      last = { channel, ok: false, attempts: n, status: res.status, error: `${channel} answered ${res.status}${text ? ` ${text}` : ''} (POST ${redact(url)})` };
      if (!retryable(res.status)) return last;
      const ra = Number(res.headers.get('retry-after'));
      if (Number.isFinite(ra) && ra > 0) retryAfterMs = Math.min(ra * 1000, MAX_WAIT_MS);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      last = { channel, ok: false, attempts: n, error: `${channel} unreachable: ${isAbortError(err) ? 'timed out' : (err as Error).message} (POST ${redact(url)})` };
    }
    if (n < attempts) {
      await delay(retryAfterMs ?? wait, opts.signal);
      wait = Math.min(wait * 2, MAX_WAIT_MS);
    }
  }
  return last;
}

export async function deliver(channel: Channel, message: Message, opts: DeliveryOptions): Promise<DeliveryResult> {
  const url = channelUrl(opts.config, channel);
  if (!url) return { channel, ok: false, attempts: 0, error: `no ${channel} webhook is configured: ${setupHint(channel)}` };
  if (!/^https?:\/\//.test(url)) throw new GanglionError(500, 'bad_config', `the ${channel} webhook URL must start with http:// or https://; fix ${channel === 'slack' ? SECRET.slack.name : SECRET.webhook.name}`);
  if (channel === 'slack') {
    return post(url, JSON.stringify(slackPayload(message)), { 'content-type': 'application/json' }, opts, channel);
  }
  const body = JSON.stringify(webhookBody(message, (opts.now ?? (() => new Date()))().toISOString()));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'ganglion-notify' };
  const key = readSecret(opts.config, SECRET.webhookKey.name, opts.config.alerts.alertWebhookSecret);
  if (key) headers['x-ganglion-signature-256'] = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
  return post(url, body, headers, opts, channel);
}

/** Sends to every channel at once; one failing channel does not stop the others. */
export function deliverAll(channels: Channel[], message: Message, opts: DeliveryOptions): Promise<DeliveryResult[]> {
  return Promise.all([...new Set(channels)].map((c) => deliver(c, message, opts)));
}
