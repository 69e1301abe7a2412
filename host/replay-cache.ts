/** Remembers recent answers by event (source, id, body and approval: see replayKey) so a retried event is answered, not run again. */
import type { FnResponse } from '../function-kit/function-module.js';

export class ReplayCache {
  private readonly entries = new Map<string, Promise<FnResponse>>();
  constructor(private readonly limit: number) {}

  run(key: string, work: () => Promise<FnResponse>): Promise<FnResponse> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const pending = work().then((res) => {
      // Only successful answers are kept: a failed attempt may be retried for real.
      if (res.status >= 400) this.entries.delete(key);
      return res;
    });
    this.entries.set(key, pending);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return pending;
  }
}
