/**
 * The one CloudEvents codec Ganglion uses over HTTP. It wraps the `cloudevents` package and handles its
 * sharp edges: percent-encoding of ce-* header values, case- and charset-tolerant content types, explicit
 * validation (HTTP.toEvent does not validate), and 400s that name the attribute that is wrong.
 */
import { CloudEvent, ValidationError } from 'cloudevents';
import { randomUUID } from 'node:crypto';
import { GanglionError } from '../kernel/errors.js';

export type HeaderBag = Record<string, string | string[] | undefined>;
export type ExtensionValue = string | number | boolean;

export interface ReceivedEvent {
  mode: 'binary' | 'structured';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  extensions: Record<string, ExtensionValue>;
  data: unknown;
}

/** What arrived: a CloudEvent, or a plain body as `faas-cli invoke` and cron-connector send it. */
export type Received = { kind: 'event'; event: ReceivedEvent } | { kind: 'plain'; data: unknown };

const CORE = new Set(['id', 'source', 'type', 'specversion', 'subject', 'time', 'datacontenttype', 'dataschema', 'data', 'data_base64']);

function header(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

const NEEDS_NO_ENCODING = /^[\x21\x23-\x24\x26-\x7e]*$/;

/** Percent-encodes a header value as the CloudEvents HTTP binding asks (space, ", %, and anything outside U+0021–U+007E). */
export function encodeHeaderValue(value: string): string {
  // most values (ids, types, sources, times) need no encoding: one regex test instead of a walk over every character
  if (NEEDS_NO_ENCODING.test(value)) return value;
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code > 0x20 && code < 0x7f && ch !== '"' && ch !== '%') out += ch;
    else out += [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

export function decodeHeaderValue(raw: string, name: string): string {
  let value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '%' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(value[i] ?? '', 'utf8'));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch (cause) {
    throw new GanglionError(400, 'invalid_cloudevent', `invalid CloudEvent: header ${name} is not valid percent-encoded UTF-8`, { cause });
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(contentType: string | undefined): boolean {
  const mt = mediaType(contentType);
  return mt === 'application/json' || mt.endsWith('+json') || mt === 'text/json';
}

function invalid(message: string): GanglionError {
  return new GanglionError(400, 'invalid_cloudevent', `invalid CloudEvent: ${message}`);
}

function checkRequired(attrs: Record<string, unknown>, prefix: string): void {
  const spec = attrs.specversion;
  if (spec === undefined) throw invalid(`${prefix}specversion is missing; it must be "1.0"`);
  if (spec !== '1.0') throw invalid(`${prefix}specversion must be "1.0" (got ${JSON.stringify(spec)})`);
  for (const name of ['id', 'source', 'type'] as const) {
    const v = attrs[name];
    if (v === undefined || v === null) throw invalid(`${prefix}${name} is missing`);
    if (typeof v !== 'string' || v.trim() === '') throw invalid(`${prefix}${name} must be a non-empty string`);
  }
  if (attrs.time !== undefined && (typeof attrs.time !== 'string' || Number.isNaN(Date.parse(attrs.time)))) {
    throw invalid(`${prefix}time must be an RFC 3339 timestamp (got ${JSON.stringify(attrs.time)})`);
  }
}

function parseJsonBody(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new GanglionError(400, 'invalid_json', `${what} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Validates with the cloudevents package too, so its rules (extension names, URIs) hold; maps its error to a 400. */
function validateWithSdk(attrs: Record<string, unknown>, prefix: string): void {
  try {
    new CloudEvent({ ...attrs, specversion: '1.0' } as never, true);
  } catch (err) {
    if (err instanceof ValidationError || err instanceof TypeError) {
      const detail = (err as ValidationError).errors?.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('; ');
      throw invalid(`${prefix === 'ce-' ? 'headers' : 'attributes'} rejected: ${detail || err.message}`);
    }
    throw err;
  }
}

function splitAttributes(attrs: Record<string, unknown>, mode: 'binary' | 'structured', data: unknown): ReceivedEvent {
  const extensions: Record<string, ExtensionValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (CORE.has(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') extensions[k] = v;
  }
  const ev: ReceivedEvent = {
    mode,
    id: String(attrs.id),
    source: String(attrs.source),
    type: String(attrs.type),
    extensions,
    data,
  };
  if (typeof attrs.subject === 'string') ev.subject = attrs.subject;
  if (typeof attrs.time === 'string') ev.time = attrs.time;
  if (typeof attrs.datacontenttype === 'string') ev.datacontenttype = attrs.datacontenttype;
  return ev;
}

function readBinary(headers: HeaderBag, body: Buffer): ReceivedEvent {
  const attrs: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!key.startsWith('ce-') || raw === undefined) continue;
    const attr = key.slice(3);
    if (attr === 'datacontenttype') throw invalid('ce-datacontenttype must not be sent in binary mode; use Content-Type');
    attrs[attr] = decodeHeaderValue(Array.isArray(raw) ? raw.join(',') : raw, key);
  }
  checkRequired(attrs, 'ce-');
  const contentType = header(headers, 'content-type');
  if (contentType) attrs.datacontenttype = contentType;
  validateWithSdk(attrs, 'ce-');
  const text = body.toString('utf8');
  let data: unknown = undefined;
  if (body.length > 0) data = isJsonMediaType(contentType) || !contentType ? parseJsonBody(text, 'event data') : text;
  return splitAttributes(attrs, 'binary', data);
}

function readStructured(body: Buffer): ReceivedEvent {
  const parsed = parseJsonBody(body.toString('utf8'), 'structured CloudEvent');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('a structured event must be a JSON object');
  const attrs = parsed as Record<string, unknown>;
  checkRequired(attrs, '');
  if (attrs.data !== undefined && attrs.data_base64 !== undefined) throw invalid('data and data_base64 must not both be set');
  const { data, data_base64, ...rest } = attrs;
  validateWithSdk(rest, '');
  const decoded = typeof data_base64 === 'string' ? Buffer.from(data_base64, 'base64').toString('utf8') : data;
  return splitAttributes(attrs, 'structured', decoded);
}

/** Reads a request: binary or structured CloudEvent, or a plain body. Throws a 400/415 GanglionError naming what is wrong. */
export function readRequest(headers: HeaderBag, body: Buffer): Received {
  const contentType = header(headers, 'content-type');
  const mt = mediaType(contentType);
  if (mt.startsWith('application/cloudevents-batch')) {
    throw new GanglionError(415, 'unsupported_media_type', 'batched CloudEvents are not accepted; send one event per request');
  }
  if (mt.startsWith('application/cloudevents')) return { kind: 'event', event: readStructured(body) };
  const hasCe = Object.keys(headers).some((k) => k.toLowerCase().startsWith('ce-'));
  if (hasCe) return { kind: 'event', event: readBinary(headers, body) };
  return { kind: 'plain', data: readPlainBody(contentType, body, { sniffJson: !sentByBrowser(headers) }) };
}

/**
 * Whether a browser sent the request (an Origin, or a Sec-Fetch-Site other than "none", a typed-in URL). A page may
 * send text/plain anywhere without asking, so for such requests a text body stays text and never becomes a command.
 */
export function sentByBrowser(headers: HeaderBag): boolean {
  const site = header(headers, 'sec-fetch-site');
  return header(headers, 'origin') !== undefined || (site !== undefined && site !== 'none');
}

/**
 * A plain body: JSON when it says so, else text; with `sniffJson` (the default) text that looks like a JSON object
 * is read as JSON too, since faas-cli sends text/plain and curl -d form-urlencoded by default.
 */
export function readPlainBody(contentType: string | undefined, body: Buffer, { sniffJson = true }: { sniffJson?: boolean } = {}): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  if (isJsonMediaType(contentType)) return parseJsonBody(text, 'request body');
  if (!sniffJson) return text;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text; // text that merely looks like JSON stays text
    }
  }
  return text;
}

export interface OutgoingEvent {
  type: string;
  source: string;
  data: unknown;
  id?: string;
  subject?: string;
  extensions?: Record<string, ExtensionValue | undefined>;
}

const EXTENSION_NAME = /^[a-z0-9]+$/;
/** RFC 3986 URI-reference characters (a relative path such as /ganglion/planner, or an absolute URI). */
const URI_REFERENCE = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/**
 * Builds a CloudEvent from our attributes, checked here against the spec's rules (non-empty id
 * and type, a URI-reference source, lower-case alphanumeric extension names, extension values of the
 * CloudEvents type system) instead of by the package's schema validator: on a function's first answer that
 * validator costs ~8 ms to warm up (its format regexes), for attributes that are ours, not a sender's.
 * Received events are still validated in full by `readRequest`.
 */
export function createEvent(out: OutgoingEvent): CloudEvent<unknown> {
  const id = out.id ?? randomUUID();
  const wrong = (what: string) => new Error(`cannot build CloudEvent ${out.type || '(no type)'}: ${what}`);
  if (!id) throw wrong('id is empty');
  if (!out.type) throw wrong('type is empty');
  if (!URI_REFERENCE.test(out.source)) throw wrong(`source ${JSON.stringify(out.source)} is not a URI-reference`);
  const ext: Record<string, ExtensionValue> = {};
  for (const [k, v] of Object.entries(out.extensions ?? {})) {
    if (v === undefined) continue;
    if (!EXTENSION_NAME.test(k) || CORE.has(k)) throw wrong(`extension name ${JSON.stringify(k)} must be lower-case letters and digits and not a core attribute`);
    if (!(typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v)))) throw wrong(`extension ${k} must be a string, boolean or integer (got ${String(v)})`);
    ext[k] = v;
  }
  const attrs = { id, source: out.source, type: out.type, datacontenttype: 'application/json', ...(out.subject ? { subject: out.subject } : {}), ...ext, data: out.data };
  return new CloudEvent<unknown>(attrs, false);
}

/** Binary-mode HTTP headers and body for an event, with percent-encoded header values. */
export function toBinary(event: CloudEvent<unknown>, contentType = 'application/json'): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { 'content-type': contentType };
  for (const [k, v] of Object.entries(event.toJSON())) {
    if (k === 'data' || k === 'data_base64' || k === 'datacontenttype' || v === undefined || v === null) continue;
    headers[`ce-${k}`] = encodeHeaderValue(typeof v === 'string' ? v : String(v));
  }
  const data = event.data;
  const body = typeof data === 'string' && !contentType.includes('json') ? data : JSON.stringify(data ?? null);
  return { headers, body };
}

/** Structured-mode HTTP message. */
export function toStructured(event: CloudEvent<unknown>): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify(event.toJSON()) };
}
