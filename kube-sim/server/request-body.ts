/** Decodes write bodies by Content-Type, answering 415 with the API server's list for anything else. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { KubeStatusError } from '../kube-status-error.js';
import { parseJsonObject, readBody, readBodyBytes } from './respond.js';
import { decodeKubernetesProtobuf } from '../protobuf/decode-protobuf.js';

/** kubectl's typed clients (create deployment, auth can-i, drain) send protobuf bodies. */
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/strategic-merge-patch+json'] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

const unsupported = (accepted: string[]) =>
  new KubeStatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function parseYamlObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new KubeStatusError(400, 'BadRequest', `error decoding YAML: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new KubeStatusError(400, 'BadRequest', 'error decoding YAML: expected a mapping');
  return value as Record<string, unknown>;
}

/** The object of a POST/PUT body (JSON or YAML). */
export async function readObjectBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = mediaType(req);
  if (type === PROTOBUF) return decodeKubernetesProtobuf(await readBodyBytes(req));
  if (type !== '' && type !== 'application/json' && type !== 'application/yaml' && type !== '*/*') {
    throw unsupported(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/cbor']);
  }
  const text = await readBody(req);
  return type === 'application/yaml' ? parseYamlObject(text) : parseJsonObject(text);
}

/**
 * The body of a request whose answer does not depend on it (reviews, evictions): JSON is parsed, anything else
 * (kubectl's typed clients send protobuf) is read and ignored.
 */
export async function readOptionalBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = mediaType(req);
  if (type === PROTOBUF) return decodeKubernetesProtobuf(await readBodyBytes(req));
  const text = await readBody(req);
  if ((type === 'application/json' || type === '') && text.trim()) return parseJsonObject(text);
  return {};
}

/** The patch type and its parsed document (an op list for JSON patch, an object otherwise). */
export async function readPatchBody(req: IncomingMessage): Promise<{ type: PatchType; patch: unknown }> {
  const type = mediaType(req);
  const known = PATCH_TYPES.find((t) => t === type);
  if (!known) throw unsupported([...PATCH_TYPES]);
  const text = await readBody(req);
  if (known === 'application/apply-patch+yaml') return { type: known, patch: parseYamlObject(text) };
  if (known === 'application/json-patch+json') {
    try {
      return { type: known, patch: JSON.parse(text) };
    } catch (err) {
      throw new KubeStatusError(400, 'BadRequest', `error decoding patch: ${(err as Error).message}`);
    }
  }
  return { type: known, patch: parseJsonObject(text) };
}
