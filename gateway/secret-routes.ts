/**
 * /system/secrets as faas-netes serves it to `faas-cli secret list|create|update|remove`: GET lists names (never
 * values), POST creates (201, 409 when it exists), PUT replaces (202, 404 when missing), DELETE removes (202, 404).
 */
import * as z from 'zod';
import { formatIssues } from '../kernel/zod-issues.js';
import type { FnResponse } from '../function-kit/function-module.js';
import { NAMESPACE } from './function-table.js';
import { emptyReply, jsonReply, parseJsonBody, textReply } from './reply.js';
import { SECRET_NAME, type SecretStore } from './secret-store.js';
import type { SystemRequest } from './system-routes.js';

// faas-provider's types.Secret: `value` for text, `rawValue` (base64 in JSON, Go's []byte) for files.
const secret = z.object({
  name: z.string().regex(SECRET_NAME, 'must be a DNS-1123 subdomain (lowercase letters, digits, - and .)'),
  namespace: z.string().nullish(),
  value: z.string().nullish(),
  rawValue: z.string().base64().nullish(),
});
const removal = z.object({ name: z.string().min(1), namespace: z.string().nullish() });

export interface SecretRoutesDeps {
  store: SecretStore;
  /** Told after a secret changed, so copies mounted into functions follow (as the kubelet updates a secret volume). */
  changed?: (name: string) => void;
}

const wrongNamespace = (ns: string) => textReply(400, `namespace must be: ${NAMESPACE} (got "${ns}"); this gateway keeps one namespace's secrets`);

export function createSecretRoutes({ store, changed = () => {} }: SecretRoutesDeps) {
  function valueOf(s: z.infer<typeof secret>): Buffer | undefined {
    if (s.rawValue) return Buffer.from(s.rawValue, 'base64');
    return s.value ? Buffer.from(s.value, 'utf8') : undefined;
  }

  function save(body: Buffer, update: boolean): FnResponse {
    const json = parseJsonBody(body);
    if (!json.ok) return json.reply;
    const parsed = secret.safeParse(json.value);
    if (!parsed.success) return textReply(400, `invalid Secret: ${formatIssues(parsed.error, { root: '(body)' })}`);
    const s = parsed.data;
    if (s.namespace && s.namespace !== NAMESPACE) return wrongNamespace(s.namespace);
    const value = valueOf(s);
    if (!value) return textReply(400, `secret ${s.name} has no value; give value (text) or rawValue (base64)`);
    const exists = store.has(s.name);
    if (update && !exists) return textReply(404, `secret ${s.name} not found; create it with POST /system/secrets (faas-cli secret create ${s.name})`);
    if (!update && exists) return textReply(409, `secret ${s.name} already exists; change it with PUT /system/secrets (faas-cli secret update ${s.name})`);
    store.write(s.name, value);
    changed(s.name);
    return emptyReply(update ? 202 : 201);
  }

  function remove(req: SystemRequest): FnResponse {
    // faas-cli sends {"name","namespace"} as the body; ?name= is accepted too, as a body on DELETE is unusual.
    let name = req.query.get('name') ?? '';
    let namespace = req.query.get('namespace');
    if (!name) {
      const json = parseJsonBody(req.body);
      if (!json.ok) return json.reply;
      const parsed = removal.safeParse(json.value);
      if (!parsed.success) return textReply(400, `invalid Secret: ${formatIssues(parsed.error, { root: '(body)' })}`);
      name = parsed.data.name;
      namespace = parsed.data.namespace ?? null;
    }
    if (namespace && namespace !== NAMESPACE) return wrongNamespace(namespace);
    if (!SECRET_NAME.test(name) || !store.remove(name)) return textReply(404, `secret ${name} not found`);
    changed(name);
    return emptyReply(202);
  }

  return async function secrets(req: SystemRequest): Promise<FnResponse | undefined> {
    if (req.path !== '/secrets') return undefined;
    if (req.method === 'GET') {
      const ns = req.query.get('namespace');
      if (ns && ns !== NAMESPACE) return wrongNamespace(ns);
      return jsonReply(200, store.names().map((name) => ({ name, namespace: NAMESPACE })));
    }
    if (req.method === 'POST') return save(req.body, false);
    if (req.method === 'PUT') return save(req.body, true);
    if (req.method === 'DELETE') return remove(req);
    return textReply(405, `${req.method} is not allowed on /system/secrets; use GET, POST, PUT or DELETE`);
  };
}
