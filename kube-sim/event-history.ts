/** A bounded log of recent store events, so a watch can resume from a resourceVersion (410 Gone when too old). */
import type { KubeObject, StoreEvent } from './kube-object.js';

export interface StoredEvent extends StoreEvent { rv: number; previous?: KubeObject }

export class EventHistory {
  private readonly events: StoredEvent[] = [];
  private start = 0;
  private dropped = 0;

  constructor(private readonly capacity: number) {}

  push(ev: StoredEvent): void {
    this.events.push(ev);
    if (this.events.length - this.start > this.capacity) {
      this.dropped = this.events[this.start].rv;
      this.start++;
      // compact now and then so the array does not grow without bound
      if (this.start > this.capacity) {
        this.events.splice(0, this.start);
        this.start = 0;
      }
    }
  }

  /** Forgets every event up to rv (a restored store has no history before it). */
  forgetThrough(rv: number): void {
    this.events.length = 0;
    this.start = 0;
    this.dropped = Math.max(this.dropped, rv);
  }

  /** The resourceVersion below which history is gone (0 = nothing dropped yet). */
  oldest(): number {
    return this.dropped;
  }

  /** Events newer than rv, or undefined when rv is older than what is kept. */
  since(rv: number): StoredEvent[] | undefined {
    if (!Number.isFinite(rv) || rv < this.dropped) return undefined;
    const out: StoredEvent[] = [];
    for (let i = this.events.length - 1; i >= this.start && this.events[i].rv > rv; i--) out.push(this.events[i]);
    return out.reverse();
  }
}

/** A stored event as one watcher sees it: moves across its selector become ADDED/DELETED, as in Kubernetes. */
export function watcherView(ev: StoredEvent, matches: (obj: KubeObject) => boolean): StoreEvent | undefined {
  const now = matches(ev.object);
  if (ev.type !== 'MODIFIED' || !ev.previous) return now ? { type: ev.type, resource: ev.resource, object: ev.object } : undefined;
  const before = matches(ev.previous);
  if (now && before) return { type: 'MODIFIED', resource: ev.resource, object: ev.object };
  if (now) return { type: 'ADDED', resource: ev.resource, object: ev.object };
  if (before) return { type: 'DELETED', resource: ev.resource, object: ev.object };
  return undefined;
}
