/**
 * What happened to each webhook delivery, as a WebhookDelivery object named from its X-GitHub-Delivery. Creating it
 * is the claim: the API server answers 409 to every later create of that name, so a redelivery is not run twice,
 * even when it reaches another github-webhook replica. The claimant then records each stage in its status.
 */
import type { GanglionObject, StateClient } from '../../cluster-state/ganglion-objects.js';
import { hashedName, isObjectName } from '../../cluster-state/object-name.js';
import { GanglionError } from '../../kernel/errors.js';

export type StageName = 'tests' | 'deploy' | 'verify';
export interface Stage {
  name: StageName;
  status: 'running' | 'passed' | 'failed' | 'skipped' | 'awaiting-approval';
  summary: string;
}

export interface DeliveryRecord {
  delivery: string;
  repository: string;
  branch: string;
  commit: string;
  deployment?: { name: string; namespace: string };
  tag?: string;
  status: 'running' | 'succeeded' | 'failed' | 'awaiting-approval';
  stages: Stage[];
  summary: string;
  runId?: string;
  receivedAt: string;
  finishedAt?: string;
}

type DeliverySpec = { delivery: string; repository?: string; branch?: string; commit?: string };
type WebhookDelivery = GanglionObject<DeliverySpec, { phase?: string; record?: DeliveryRecord }>;

/**
 * The object's name: GitHub's delivery GUID as it is (already a DNS-1123 name); any other id lower-cased with other
 * characters as '-', plus a hash of the id as sent, so two ids that clean up alike never share one object.
 */
export function deliveryName(id: string): string {
  return isObjectName(id) ? id : hashedName(id);
}

export async function readDelivery(state: StateClient, id: string, signal?: AbortSignal): Promise<DeliveryRecord | undefined> {
  const o = await state.get<WebhookDelivery>('webhookdeliveries', deliveryName(id), signal);
  return o?.status?.record;
}

/** Records the claimed delivery's progress; calls are applied one after another, in the order made. */
export type SaveDelivery = (rec: DeliveryRecord) => Promise<void>;

/**
 * Claims the delivery by creating its object with `rec` as its status; undefined when it exists already (a
 * redelivery, or another replica was first). The claimant alone writes it after that.
 */
export async function claimDelivery(state: StateClient, rec: DeliveryRecord, signal?: AbortSignal): Promise<SaveDelivery | undefined> {
  let current: WebhookDelivery;
  try {
    current = await state.create<WebhookDelivery>('webhookdeliveries', {
      metadata: { name: deliveryName(rec.delivery) },
      spec: { delivery: rec.delivery, repository: rec.repository, branch: rec.branch, commit: rec.commit },
      status: { phase: rec.status, record: rec },
    }, signal);
  } catch (err) {
    if (err instanceof GanglionError && err.code === 'already_exists') return undefined;
    throw err;
  }
  const write = async (next: DeliveryRecord): Promise<void> => {
    try {
      current = await state.replace('webhookdeliveries', { ...current, status: { phase: next.status, record: next } });
    } catch (err) {
      // Somebody edited it by hand (kubectl label, say): the record is still ours, so write it over their version once.
      if (!(err instanceof GanglionError) || err.code !== 'conflict') throw err;
      const fresh = await state.get<WebhookDelivery>('webhookdeliveries', current.metadata.name);
      if (!fresh) throw new GanglionError(409, 'delivery_deleted', `webhook delivery ${rec.delivery} was deleted while its pipeline ran; its outcome is not recorded`);
      current = await state.replace('webhookdeliveries', { ...fresh, status: { phase: next.status, record: next } });
    }
  };
  let last: Promise<void> = Promise.resolve();
  return (next) => {
    // A snapshot: the pipeline goes on changing its record while the write is on its way. A failed earlier write
    // was already reported to its own caller; this one still goes ahead.
    const snapshot = structuredClone(next);
    last = last.then(() => write(snapshot), () => write(snapshot));
    return last;
  };
}
