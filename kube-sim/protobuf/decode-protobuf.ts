/**
 * Decodes Kubernetes protobuf bodies (what kubectl's typed clients send for `create deployment`, `auth can-i`...)
 * into the JSON objects the API server would have received, using the field tables of generated.proto.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KubeStatusError } from '../kube-status-error.js';
import { PACKAGE_DIR } from '../package-dir.js';
import type { ProtoField, ProtoSchema } from './proto-schema.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
let schema: ProtoSchema | undefined;

function loadSchema(): ProtoSchema {
  if (schema) return schema;
  // the JSON stays beside the sources, outside dist/
  schema = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'protobuf', 'k8s-proto-schema.json'), 'utf8')) as ProtoSchema;
  return schema;
}

class Reader {
  pos: number;
  constructor(readonly buf: Buffer, start = 0, readonly end = buf.length) { this.pos = start; }
  varint(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw malformed('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7n;
    }
    // negative int32/int64 values arrive as 64-bit two's complement
    return Number(BigInt.asIntN(64, result));
  }
  bytes(): Buffer {
    const length = this.varint();
    if (this.pos + length > this.end) throw malformed('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

const malformed = (why: string) => new KubeStatusError(400, 'BadRequest', `the protobuf body could not be decoded: ${why}`);

function scalar(type: string, wire: number, r: Reader): unknown {
  if (wire === 0) {
    const v = r.varint();
    return type === 'bool' ? v !== 0 : v;
  }
  if (wire === 1) {
    const v = type === 'double' ? r.buf.readDoubleLE(r.pos) : Number(r.buf.readBigInt64LE(r.pos));
    r.pos += 8;
    return v;
  }
  if (wire === 5) {
    const v = type === 'float' ? r.buf.readFloatLE(r.pos) : r.buf.readInt32LE(r.pos);
    r.pos += 4;
    return v;
  }
  const bytes = r.bytes();
  return type === 'string' ? bytes.toString('utf8') : bytes.toString('base64');
}

function special(type: string, bytes: Buffer): { value: unknown } | undefined {
  switch (type) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const t = decodeMessage(bytes, `${META}.Timestamp`) as { seconds?: number; nanos?: number };
      if (!t.seconds && !t.nanos) return { value: undefined };
      const iso = new Date((t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
      return { value: type.endsWith('MicroTime') ? iso.replace('Z', '000Z') : iso.replace(/\.\d{3}Z$/, 'Z') };
    }
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return { value: (decodeMessage(bytes, type) as { string?: string }).string ?? '0' };
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': {
      const v = decodeMessage(bytes, type) as { type?: number; intVal?: number; strVal?: string };
      return { value: v.type === 1 ? v.strVal ?? '' : v.intVal ?? 0 };
    }
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`: {
      const raw = (decodeMessage(bytes, type) as { raw?: string }).raw;
      return { value: raw ? JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) : undefined };
    }
    case `${META}.Duration`: {
      const ns = (decodeMessage(bytes, type) as { duration?: number }).duration ?? 0;
      return { value: `${ns / 1e9}s` };
    }
    default:
      return undefined;
  }
}

function value(type: string, wire: number, r: Reader): unknown {
  if (!type.includes('.')) return scalar(type, wire, r);
  const bytes = r.bytes();
  const known = special(type, bytes);
  return known ? known.value : decodeMessage(bytes, type);
}

// Go fields that are pointers, where an explicit 0 means something; other zero numbers are Go zero values
// that the JSON encoding leaves out (omitempty), so the decoder does too
const MEANINGFUL_ZERO = new Set(['replicas', 'backoffLimit', 'parallelism', 'completions', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds',
  'ttlSecondsAfterFinished', 'revisionHistoryLimit', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'startingDeadlineSeconds', 'exitCode',
  'restartCount', 'minReplicas', 'value', 'weight', 'priority', 'gracePeriodSeconds', 'seconds', 'nanos', 'intVal', 'type', 'backoffLimitPerIndex', 'maxFailedIndexes']);

/** Decodes one message; empty strings, false booleans and Go zero numbers are left out, as the JSON encoding omits them. */
export function decodeMessage(buf: Buffer, type: string): Record<string, unknown> {
  if (type === `${META}.Timestamp`) return decodePlain(buf, [[1, 'seconds', 'int64', ''], [2, 'nanos', 'int32', '']]);
  const fields = loadSchema()[type];
  if (!fields) throw malformed(`unknown message type ${type}`);
  return decodePlain(buf, fields);
}

function decodePlain(buf: Buffer, fields: ProtoField[]): Record<string, unknown> {
  const byNumber = new Map(fields.map((f) => [f[0], f]));
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (r.pos < r.end) {
    const tag = r.varint();
    const number = Math.floor(tag / 8);
    const wire = tag & 7;
    const field = byNumber.get(number);
    if (!field) {
      skip(r, wire);
      continue;
    }
    const [, name, type, label] = field;
    if (label === 'm') {
      const [keyType, valueType] = type.slice(4, -1).split(',');
      const entry = new Reader(r.bytes());
      let key = '';
      let val: unknown;
      while (entry.pos < entry.end) {
        const t = entry.varint();
        if (Math.floor(t / 8) === 1) key = String(value(keyType, t & 7, entry));
        else val = value(valueType, t & 7, entry);
      }
      const map = (out[name] ?? {}) as Record<string, unknown>;
      map[key] = val ?? (valueType === 'string' ? '' : val);
      out[name] = map;
    } else if (label === 'r') {
      const list = (out[name] ?? []) as unknown[];
      if (wire === 2 && !type.includes('.') && type !== 'string' && type !== 'bytes') {
        const packed = new Reader(r.bytes());
        while (packed.pos < packed.end) list.push(scalar(type, type === 'double' || type.endsWith('fixed64') ? 1 : 0, packed));
      } else list.push(value(type, wire, r));
      out[name] = list;
    } else {
      const v = value(type, wire, r);
      if (v === undefined || v === '' || v === false || (v === 0 && !MEANINGFUL_ZERO.has(name))) delete out[name];
      else out[name] = v;
    }
  }
  return out;
}

function skip(r: Reader, wire: number): void {
  if (wire === 0) r.varint();
  else if (wire === 1) r.pos += 8;
  else if (wire === 2) r.bytes();
  else if (wire === 5) r.pos += 4;
  else throw malformed(`unsupported wire type ${wire}`);
}

/** Proto package of an apiVersion: `apps/v1` → k8s.io.api.apps.v1, `rbac.authorization.k8s.io/v1` → k8s.io.api.rbac.v1. */
function packageOf(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  return `k8s.io.api.${group.split('.')[0]}.${version}`;
}

/** The JSON object inside a `k8s\0`-prefixed runtime.Unknown envelope. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw malformed('missing the k8s protobuf prefix');
  const unknown = decodeMessage(body.subarray(4), 'k8s.io.apimachinery.pkg.runtime.Unknown') as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: string };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const raw = Buffer.from(unknown.raw ?? '', 'base64');
  const type = kind === 'DeleteOptions' ? `${META}.DeleteOptions` : `${packageOf(apiVersion)}.${kind}`;
  return { apiVersion, kind, ...decodeMessage(raw, type) };
}
