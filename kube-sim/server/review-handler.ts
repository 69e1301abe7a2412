/** `kubectl auth can-i` and `kubectl auth whoami`: kube-sim's single user may do everything. */
import type { ResourceRequest } from './api-context.js';
import { readOptionalBody } from './request-body.js';
import { sendJson } from './respond.js';

const USER = { username: 'ganglion-sim-admin', groups: ['system:masters', 'system:authenticated'] };

export async function handleReview(r: ResourceRequest): Promise<void> {
  const body = await readOptionalBody(r.req);
  const { info } = r.target;
  const head = { kind: info.kind, apiVersion: `${info.group}/${info.version}`, metadata: { creationTimestamp: null } };
  if (info.resource === 'selfsubjectreviews') {
    sendJson(r.res, 201, { ...head, status: { userInfo: USER } });
  } else if (info.resource === 'selfsubjectrulesreviews') {
    sendJson(r.res, 201, { ...head, spec: body.spec ?? {}, status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false } });
  } else {
    sendJson(r.res, 201, { ...head, spec: body.spec ?? {}, status: { allowed: true, reason: 'kube-sim grants every request' } });
  }
}
