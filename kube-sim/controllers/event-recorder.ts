/** Kubernetes Events as `kubectl describe` and `kubectl get events` show them: repeats bump count and lastTimestamp. */
import { KubeStatusError, type KubeObject, type ObjectStore } from '../store.js';

export interface EventSource { component: string; host?: string }
export interface EventRecorder {
  record(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void;
}

export function createEventRecorder(store: ObjectStore, now: () => number): EventRecorder {
  const seen = new Map<string, { namespace: string; name: string }>();
  let sequence = 0;

  return {
    record(involved, type, reason, message, source, fieldPath) {
      const namespace = involved.metadata.namespace ?? 'default';
      const key = `${involved.metadata.uid}|${fieldPath ?? ''}|${reason}|${message}|${source.component}`;
      const time = new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const known = seen.get(key);
      if (known) {
        try {
          store.mutate('events', known.namespace, known.name, (ev) => {
            ev.count = (typeof ev.count === 'number' ? ev.count : 1) + 1;
            ev.lastTimestamp = time;
          });
          return;
        } catch (err) {
          if (!(err instanceof KubeStatusError && err.code === 404)) throw err;
        }
      }
      // like Kubernetes: the suffix is the creation time in nanoseconds, so names sort by time
      sequence = (sequence + 1) % 1_000_000;
      const name = `${involved.metadata.name}.${(BigInt(now()) * 1_000_000n + BigInt(sequence)).toString(16)}`;
      store.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: involved.metadata.name,
          namespace: involved.metadata.namespace,
          uid: involved.metadata.uid,
          resourceVersion: involved.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
        firstTimestamp: time,
        lastTimestamp: time,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
      if (seen.size > 50_000) seen.clear();
      seen.set(key, { namespace, name });
    },
  };
}
