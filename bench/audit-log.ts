/**
 * Bench: the audit log as AuditRecord objects in kube-sim — reading 10,000 of them page by page with readAudit,
 * as GET /audit and `ganglion audit` do. kube-sim figures: a real API server (etcd behind it) is slower per page.
 */
import { auditName, readAudit } from '../audit/audit-log.js';
import { startStateCluster } from '../testing/state-cluster.js';
import type { BenchSection } from './bench-section.js';

const RECORDS = 10_000;
const PAGE = 500;
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function run(): Promise<BenchSection> {
  const c = await startStateCluster();
  try {
    const ns = c.config.state.namespace;
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    // straight into kube-sim's store (creating 10,000 through the API would time the writes, not the listing)
    for (let i = 0; i < RECORDS; i++) {
      const time = new Date(t0 + i * 1000).toISOString();
      c.sim.store.create('auditrecords.ganglion.dev', {
        apiVersion: 'ganglion.dev/v1alpha1', kind: 'AuditRecord', metadata: { name: auditName(time), namespace: ns },
        spec: { time, client: 'ganglion-cli', runId: `r${i >> 1}`, stepId: 's1', verb: 'scale', object: 'deployment/frontend', namespace: 'web', cluster: 'ganglion-sim', before: { replicas: 2 }, after: { replicas: 5 }, result: i % 2 ? 'applied' : 'attempt', approvedBy: 'person' },
      });
    }
    const totals: number[] = [];
    let pages = 0;
    let read = 0;
    let ordered = true;
    for (let round = 0; round <= ROUNDS; round++) {
      const started = performance.now();
      let token: string | undefined;
      let last = '';
      pages = 0;
      read = 0;
      do {
        const page = await readAudit(c.state, { limit: PAGE, ...(token ? { continue: token } : {}) });
        for (const r of page.records) { if (r.time < last) ordered = false; last = r.time; }
        read += page.records.length;
        pages += 1;
        token = page.continue;
      } while (token);
      if (round > 0) totals.push(performance.now() - started); // round 0 warms up
    }
    const total = median(totals);
    return {
      title: 'audit log (AuditRecord objects, kube-sim)',
      rows: [
        { name: `audit: list ${RECORDS.toLocaleString('en')} AuditRecords page by page (${PAGE} a page), total (kube-sim)`, value: total, unit: 'ms' },
        { name: 'audit: per page (kube-sim)', value: total / pages, unit: 'ms' },
        { name: 'audit: records read, oldest first', value: `${read} in ${pages} pages${ordered ? ', in time order' : ', OUT OF ORDER'}`, goal: `${RECORDS} in time order`, ok: read === RECORDS && ordered },
      ],
      notes: [`median of ${ROUNDS} full reads after one warm-up, through the state client (wire JSON over loopback HTTP) and the record check of each object; kube-sim figures, not a real API server`],
    };
  } finally {
    await c.stop();
  }
}
