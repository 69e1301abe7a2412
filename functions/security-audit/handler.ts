/** security-audit: the spec audit of every running pod, plus one scanner Job per image when a scanner is configured. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { GanglionError } from '../../kernel/errors.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import { getJson } from '../../cluster/get-json.js';
import { requireNamespace } from '../../cluster/read-cluster.js';
import { auditPods, runningImages, SEVERITY_ORDER, type AuditPod, type Severity, type SpecFinding } from './pod-audit.js';
import { reportLine, safeParseTrivyReport, type ImageReport } from './trivy-report.js';
import { runScanJob } from './scanner-job.js';
import type { input } from './schema.js';
import { compareNames } from '../../cluster/name-order.js';

export { meta } from './schema.js';

export interface ImageScan { image: string; pods: string[]; job?: string; report?: ImageReport; error?: string }

export interface SecurityAuditData {
  cluster: string;
  namespace?: string;
  podsAudited: number;
  /** Findings per severity. */
  counts: Record<Severity, number>;
  findings: SpecFinding[];
  /** Pods with at least one finding, worst first. */
  riskyPods: { pod: string; worst: Severity; rules: string[] }[];
  scanner?: string;
  images: ImageScan[];
}

const MAX_LINES = 30;

function riskyPods(findings: SpecFinding[]): SecurityAuditData['riskyPods'] {
  const byPod = new Map<string, SpecFinding[]>();
  for (const f of findings) byPod.set(`${f.namespace}/${f.pod}`, [...(byPod.get(`${f.namespace}/${f.pod}`) ?? []), f]);
  return [...byPod].map(([pod, fs]) => ({ pod, worst: fs[0]?.severity ?? 'low', rules: [...new Set(fs.map((f) => f.rule))] }))
    .filter((p) => p.worst !== 'low')
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.worst) - SEVERITY_ORDER.indexOf(b.worst) || b.rules.length - a.rules.length || compareNames(a.pod, b.pod));
}

async function scanImages(ctx: FunctionContext, images: Map<string, string[]>, scannerImage: string, deadlineSeconds: number, cluster?: string): Promise<ImageScan[]> {
  const c = await ctx.kube.clients(cluster);
  const namespace = ctx.config.workers.namespace;
  // one at a time: a Pi has little memory and each Trivy run takes ~300 MB
  const out: ImageScan[] = [];
  for (const [image, pods] of images) {
    let run: Awaited<ReturnType<typeof runScanJob>>;
    try {
      run = await runScanJob(c, { scannerImage, image, namespace, deadlineSeconds }, ctx.signal);
    } catch (err) {
      // a Job the cluster lost costs this image its scan, not the audit of the others
      if (!(err instanceof GanglionError && err.code === 'worker_lost')) throw err;
      out.push({ image, pods, error: err.message });
      continue;
    }
    const parsed = safeParseTrivyReport(run.log);
    out.push(parsed.ok ? { image, pods, job: run.job, report: parsed.value } : { image, pods, job: run.job, error: `${parsed.error} (Job ${namespace}/${run.job} ${run.ok ? 'completed' : 'failed'})` });
  }
  return out;
}

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<SecurityAuditData>> {
  // the scanner runs as a Job with the cluster's images: which image that is is the operator's choice, never the caller's
  if (inp.scannerImage !== undefined && inp.scannerImage !== ctx.config.scannerImage) {
    throw new GanglionError(403, 'scanner_not_allowed', `scannerImage ${JSON.stringify(inp.scannerImage.slice(0, 200))} is not the configured scanner (${ctx.config.scannerImage ? JSON.stringify(ctx.config.scannerImage) : 'none is set'}); leave scannerImage out — the operator sets GANGLION_SCANNER_IMAGE`);
  }
  const c = await ctx.kube.clients(inp.cluster);
  const ns = inp.namespace || undefined;
  const path = ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/pods` : '/api/v1/pods';
  if (ns) await requireNamespace(c, ns);
  const list = await kubeCall(`list pods ${ns ? `in namespace ${ns}` : 'in all namespaces'}`, (signal) => getJson<{ items?: AuditPod[] }>(c, path, {}, signal), { server: c.server });
  const pods = list.items ?? [];
  const findings = auditPods(pods, inp.minSeverity);
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity] += 1;
  const scannerImage = ctx.config.scannerImage;
  const images = runningImages(pods);
  const scans: ImageScan[] = scannerImage ? await scanImages(ctx, images, scannerImage, inp.timeoutSeconds, inp.cluster) : [...images].map(([image, at]) => ({ image, pods: at }));
  const risky = riskyPods(findings);
  const running = pods.filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending').length;
  const where = ns ? ` in namespace ${ns}` : '';
  const head = risky.length
    ? `${risky.length} of ${running} running pods${where} have security findings (${SEVERITY_ORDER.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`).join(', ')})`
    : `no risky pod specs among ${running} running pods${where}`;
  const lines = findings.filter((f) => f.severity !== 'low').slice(0, MAX_LINES).map((f) => `- [${f.severity}] ${f.namespace}/${f.pod}: ${f.message}`);
  if (scannerImage) lines.push(...scans.map((s) => `- image ${s.report ? reportLine(s.image, s.report) : `${s.image}: scan failed: ${s.error}`}`));
  else lines.push(`(image CVE scan skipped: set GANGLION_SCANNER_IMAGE, e.g. aquasec/trivy:0.56.2, to scan ${images.size} images)`);
  return {
    summary: [head, ...lines].join('\n'),
    data: { cluster: c.context, ...(ns ? { namespace: ns } : {}), podsAudited: running, counts, findings, riskyPods: risky, ...(scannerImage ? { scanner: scannerImage } : {}), images: scans },
  };
}
