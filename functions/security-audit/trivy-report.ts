/** Reads a Trivy JSON report (`trivy image --format json`, SchemaVersion 2) into the vulnerabilities the audit merges. */
import type { Severity } from './pod-audit.js';
import { compareNames } from '../../cluster/name-order.js';

export interface ImageVulnerability {
  id: string;
  pkg: string;
  installed: string;
  /** Empty when no fixed version exists yet. */
  fixed: string;
  severity: Severity | 'unknown';
  title?: string;
  /** Trivy's target: the OS layer or a language lock file. */
  target: string;
}

export interface ImageReport {
  artifact: string;
  vulnerabilities: ImageVulnerability[];
  /** Count per severity. */
  counts: Record<Severity | 'unknown', number>;
}

type Parsed = { ok: true; value: ImageReport } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function severityOf(raw: string): ImageVulnerability['severity'] {
  const s = raw.toLowerCase();
  return s === 'critical' || s === 'high' || s === 'medium' || s === 'low' ? s : 'unknown';
}

/** Parses the report out of a scanner's log (the JSON document may sit between log lines). */
export function safeParseTrivyReport(text: string): Parsed {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) return { ok: false, error: 'the scanner printed no JSON report' };
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    return { ok: false, error: `the scanner's report is not valid JSON: ${(err as Error).message}` };
  }
  if (!isObject(doc)) return { ok: false, error: 'the scanner report is not a JSON object' };
  if (doc.Results !== undefined && doc.Results !== null && !Array.isArray(doc.Results)) return { ok: false, error: 'the scanner report has a Results field that is not a list (is it Trivy JSON, SchemaVersion 2?)' };
  const vulnerabilities: ImageVulnerability[] = [];
  for (const result of (doc.Results as unknown[] | undefined) ?? []) {
    if (!isObject(result) || !Array.isArray(result.Vulnerabilities)) continue;
    for (const v of result.Vulnerabilities as unknown[]) {
      if (!isObject(v) || !str(v.VulnerabilityID)) continue;
      vulnerabilities.push({
        id: str(v.VulnerabilityID), pkg: str(v.PkgName), installed: str(v.InstalledVersion), fixed: str(v.FixedVersion),
        severity: severityOf(str(v.Severity)), ...(str(v.Title) ? { title: str(v.Title) } : {}), target: str(result.Target),
      });
    }
  }
  const order = ['critical', 'high', 'medium', 'low', 'unknown'];
  vulnerabilities.sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity) || compareNames(a.id, b.id));
  const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const v of vulnerabilities) counts[v.severity] += 1;
  return { ok: true, value: { artifact: str(doc.ArtifactName), vulnerabilities, counts } };
}

/** One line: "alpine:latest: 2 critical, 5 high (CVE-2024-1 in libcrypto3 3.1.4-r5 → 3.1.4-r6, …)". */
export function reportLine(image: string, r: ImageReport): string {
  const parts = (['critical', 'high', 'medium', 'low'] as const).filter((s) => r.counts[s]).map((s) => `${r.counts[s]} ${s}`);
  if (!parts.length) return `${image}: no known vulnerabilities`;
  const top = r.vulnerabilities.slice(0, 3).map((v) => `${v.id} in ${v.pkg} ${v.installed}${v.fixed ? ` → ${v.fixed}` : ' (no fix yet)'}`);
  return `${image}: ${parts.join(', ')} (${top.join(', ')}${r.vulnerabilities.length > 3 ? ', …' : ''})`;
}
