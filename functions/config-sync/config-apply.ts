/**
 * Writes a config-sync plan all or nothing: each write is remembered with how to undo it, and when one fails the
 * ones before it are undone in reverse order, so the target ends as it was unless the undo itself is refused.
 */
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { GanglionError, toPublicError } from '../../kernel/errors.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import type { ObjectPlan } from './config-diff.js';
import type { Side } from './config-sides.js';

type ConfigBody = V1ConfigMap | V1Secret;

/** What one write did, for the undo: the object it made, or the object it replaced and the version it left. */
interface Written { plan: ObjectPlan; previous: ConfigBody | undefined; saved: ConfigBody }

function bodyFor(plan: ObjectPlan, current: ConfigBody | undefined, origin: string): ConfigBody {
  const annotations = { ...(current?.metadata?.annotations ?? {}), 'ganglion.dev/synced-from': origin };
  const metadata = { ...(current?.metadata ?? {}), name: plan.name, namespace: plan.namespace, annotations };
  if (plan.kind === 'configmap') return { ...(current ?? {}), apiVersion: 'v1', kind: 'ConfigMap', metadata, data: plan.data };
  return { ...(current ?? {}), apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata, data: plan.data };
}

/** Creates or replaces one object; replace carries the resourceVersion it was read at, so a change since fails with 409. */
async function write(to: Side, kind: ObjectPlan['kind'], create: boolean, body: ConfigBody): Promise<ConfigBody> {
  const c = to.clients;
  const server = c.server;
  const namespace = body.metadata?.namespace ?? '';
  const name = body.metadata?.name ?? '';
  const what = `${create ? 'create' : 'update'} ${kind} ${namespace}/${name}`;
  if (kind === 'configmap') {
    return create
      ? kubeCall(what, () => c.core.createNamespacedConfigMap({ namespace, body }), { server })
      : kubeCall(what, () => c.core.replaceNamespacedConfigMap({ name, namespace, body }), { server });
  }
  return create
    ? kubeCall(what, () => c.core.createNamespacedSecret({ namespace, body: body as V1Secret }), { server })
    : kubeCall(what, () => c.core.replaceNamespacedSecret({ name, namespace, body: body as V1Secret }), { server });
}

/** Undoes one write: deletes what it created (only that very object, by uid), or puts back what it replaced. */
async function undo(to: Side, w: Written): Promise<void> {
  const c = to.clients;
  const server = c.server;
  const { kind, namespace, name } = w.plan;
  if (!w.previous) {
    const body = { preconditions: { uid: w.saved.metadata?.uid } };
    const what = `delete ${kind} ${namespace}/${name} made by this sync`;
    if (kind === 'configmap') await kubeCall(what, () => c.core.deleteNamespacedConfigMap({ name, namespace, body }), { server });
    else await kubeCall(what, () => c.core.deleteNamespacedSecret({ name, namespace, body }), { server });
    return;
  }
  const restore = { ...w.previous, metadata: { ...w.previous.metadata, resourceVersion: w.saved.metadata?.resourceVersion } };
  await write(to, kind, false, restore);
}

/** Applies every plan or, on the first failure, none: throws the failure after undoing what was already written. */
export async function applyAllOrNothing(to: Side, plans: ObjectPlan[], current: Map<string, ConfigBody>, origin: string): Promise<void> {
  const done: Written[] = [];
  for (const plan of plans) {
    const previous = current.get(`${plan.kind}/${plan.namespace}/${plan.name}`);
    try {
      done.push({ plan, previous, saved: await write(to, plan.kind, plan.create, bodyFor(plan, previous, origin)) });
    } catch (err) {
      const failed = toPublicError(err);
      const left: string[] = [];
      for (const w of [...done].reverse()) {
        try {
          await undo(to, w);
        } catch (undoErr) {
          left.push(`${w.plan.kind}/${w.plan.namespace}/${w.plan.name} (${toPublicError(undoErr).message})`);
        }
      }
      const id = `${plan.kind}/${plan.namespace}/${plan.name}`;
      if (left.length) {
        throw new GanglionError(500, 'config_sync_partial', `writing ${id} failed (${failed.message}) and these writes could not be undone, so they stay synced: ${left.join('; ')}; check them with kubectl and run the sync again`, { cause: err });
      }
      const status = failed.status >= 400 && failed.status < 600 ? failed.status : 500;
      throw new GanglionError(status, 'config_sync_rolled_back', `writing ${id} failed (${failed.message}); the ${done.length} objects already written were put back, so the target is as it was; fix the cause and run the sync again`, { cause: err });
    }
  }
}
