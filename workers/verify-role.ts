/**
 * The verify worker (after a deploy): every pod of the Deployment Ready, restart counts still over a short window,
 * and an HTTP smoke test against the Service (path from `ganglion.dev/smoke-path`, default `/`). A smoke test that
 * fails or cannot run fails verification: nothing unchecked is reported as verified.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { GanglionError } from '../kernel/errors.js';
import { createKubeAccess } from '../cluster/kube-access.js';
import { kubeCall } from '../cluster/kube-errors.js';
import { analysePod } from '../cluster/pod-health.js';
import type { Pod } from '../cluster/kube-shapes.js';
import type { Role } from './worker-io.js';
import { smokeCheck, smokeText } from './smoke-check.js';

const restartsOf = (p: V1Pod) => (p.status?.containerStatuses ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);
const isReady = (p: V1Pod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Annotations on the Deployment that shape its smoke test. */
export const SMOKE_PATH_ANNOTATION = 'ganglion.dev/smoke-path';
export const SMOKE_MAX_MS_ANNOTATION = 'ganglion.dev/smoke-max-ms';

export const verifyRole: Role = async (args, io) => {
  const { name, namespace = 'default' } = args;
  if (!name) throw new GanglionError(400, 'no_deployment', 'the verify worker needs the Deployment name (--name)');
  const c = await createKubeAccess({ kubeconfig: io.config.kubeconfig, context: io.config.kubeContext }).clients();
  const dep = await kubeCall(`read deployment ${namespace}/${name}`, () => c.apps.readNamespacedDeployment({ name, namespace }), { server: c.server });
  const selector = Object.entries(dep.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const listPods = async () => (await kubeCall(`list pods of ${namespace}/${name}`, () => c.core.listNamespacedPod({ namespace, labelSelector: selector }), { server: c.server })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const before = new Map((await listPods()).map((p) => [p.metadata?.name ?? '', restartsOf(p)]));
  const windowMs = args.windowMs ?? 3_000;
  io.progress(`watching ${before.size} pod(s) of ${namespace}/${name} for ${windowMs} ms`);
  await new Promise((r) => setTimeout(r, windowMs));
  const pods = await listPods();
  const desired = dep.spec?.replicas ?? 1;
  const ready = pods.filter(isReady);
  const restarted = pods.filter((p) => restartsOf(p) > (before.get(p.metadata?.name ?? '') ?? restartsOf(p))).map((p) => p.metadata?.name ?? '');
  const problems = pods.map((p) => analysePod(p as Pod)).filter((f) => f !== undefined).map((f) => `${f.pod}: ${f.reason} — ${f.detail}`);
  const notes = dep.metadata?.annotations ?? {};
  const smokePath = `/${(notes[SMOKE_PATH_ANNOTATION] ?? '/').replace(/^\/+/, '')}`;
  const maxMs = /^\d+$/.test(notes[SMOKE_MAX_MS_ANNOTATION] ?? '') ? Number(notes[SMOKE_MAX_MS_ANNOTATION]) : undefined;
  const base = (await serviceUrl(c, name, namespace)) ?? `http://${name}.${namespace}.svc.cluster.local`;
  const smoke = await smokeCheck(args.smokeUrl ?? `${base}${smokePath}`, { ...(io.config.clusterProxy ? { proxy: io.config.clusterProxy } : {}), ...(maxMs !== undefined ? { maxMs, timeoutMs: Math.max(3_000, maxMs + 1_000) } : {}) });
  const healthy = ready.length >= desired && restarted.length === 0 && problems.length === 0 && smoke.status === 'passed';
  const podsText = `${ready.length}/${desired} pods Ready`;
  const restartText = restarted.length ? `restarted during the ${windowMs / 1000} s window: ${restarted.join(', ')}` : `no restarts in ${windowMs / 1000} s`;
  const data = { name, namespace, desired, ready: ready.length, pods: pods.map((p) => ({ name: p.metadata?.name, ready: isReady(p), restarts: restartsOf(p) })), restarted, problems, smoke, windowMs, healthy };
  if (!healthy) {
    throw new GanglionError(422, 'verify_failed', `${namespace}/${name} is not healthy: ${podsText}, ${restartText}${problems.length ? `; ${problems.slice(0, 3).join('; ')}` : ''}. ${smokeText(smoke)}`, { details: data });
  }
  return { summary: `${name} verified. All ${ready.length} pods healthy (${podsText}, ${restartText}). ${smokeText(smoke)}`, data };
};

/** The Service of the same name, as its cluster DNS URL (no path). */
async function serviceUrl(c: Awaited<ReturnType<ReturnType<typeof createKubeAccess>['clients']>>, name: string, namespace: string): Promise<string | undefined> {
  try {
    const svc = await kubeCall(`read service ${namespace}/${name}`, () => c.core.readNamespacedService({ name, namespace }), { server: c.server });
    const port = svc.spec?.ports?.[0]?.port ?? 80;
    return `http://${name}.${namespace}.svc.cluster.local${port === 80 ? '' : `:${port}`}`;
  } catch (err) {
    if (err instanceof GanglionError && err.status === 404) return undefined;
    throw err;
  }
}
