/** The rule-based review of one commit's diff: secrets, large/binary files, debug leftovers, untested code, risky manifests. */
import type { DiffFile } from './diff-files.js';
import { findSecret } from './secret-patterns.js';

export type Severity = 'high' | 'medium' | 'low' | 'info';
export interface Finding { severity: Severity; rule: string; file: string; line?: number; message: string; source?: 'rules' | 'model' }

export const LARGE_FILE_BYTES = 1024 * 1024;
const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

const CODE = /\.(m?[jt]sx?|cjs|py|go|rb|rs|java|kt|cs|php|swift|c|cc|cpp|h)$/;
const TEST = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[^/]+$|_test\.(go|py)$|(^|\/)test_[^/]+\.py$/;
const MANIFEST = /(^|\/)(k8s|kubernetes|manifests?|deploy|helm|charts?)\/.*\.ya?ml$|(^|\/)(Dockerfile|docker-compose\.ya?ml|stack\.ya?ml)$|\.ya?ml$/;

const DEBUG_RULES: { re: RegExp; what: string; files: RegExp }[] = [
  { re: /\bdebugger\s*;?/, what: 'debugger statement', files: /\.(m?[jt]sx?|cjs)$/ },
  { re: /\bconsole\.(log|debug|trace)\(/, what: 'console.log left in', files: /\.(m?[jt]sx?|cjs)$/ },
  { re: /\b(test|it|describe)\.only\(/, what: '.only() makes the runner skip every other test', files: /\.(m?[jt]sx?|cjs)$/ },
  { re: /\b(breakpoint\(\)|pdb\.set_trace\(\))/, what: 'Python breakpoint', files: /\.py$/ },
  { re: /^\s*print\(/, what: 'print() left in', files: /\.py$/ },
  { re: /\b(FIXME|XXX)\b/, what: 'FIXME/XXX marker', files: CODE },
];

const MANIFEST_RULES: { re: RegExp; severity: Severity; what: string }[] = [
  { re: /privileged:\s*true/, severity: 'high', what: 'privileged container' },
  { re: /hostNetwork:\s*true|hostPID:\s*true|hostIPC:\s*true/, severity: 'high', what: 'shares the node\'s network/PID/IPC namespace' },
  { re: /hostPath:/, severity: 'medium', what: 'mounts a path of the node (hostPath)' },
  { re: /runAsUser:\s*0\b|runAsNonRoot:\s*false/, severity: 'medium', what: 'runs as root' },
  { re: /allowPrivilegeEscalation:\s*true/, severity: 'medium', what: 'allows privilege escalation' },
  { re: /image:\s*\S+:latest\b|image:\s*[^\s:@]+\s*$/, severity: 'low', what: 'image without a pinned tag (":latest" or none)' },
  { re: /^\s*USER\s+root\b/, severity: 'medium', what: 'Dockerfile switches to root' },
  { re: /"(preinstall|install|postinstall)"\s*:/, severity: 'medium', what: 'npm install script (runs on every install)' },
];

export interface CheckOptions {
  /** blob sizes of the changed files in the new commit */
  sizes: Map<string, number>;
  /** files git itself calls binary (numstat "-"), even when the diff text was cut before them */
  binary?: Set<string>;
  maxFindings?: number;
}

export function reviewDiff(files: DiffFile[], { sizes, binary = new Set(), maxFindings = 200 }: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding) => { if (out.length < maxFindings) out.push({ source: 'rules', ...f }); };
  const binaries = new Set([...binary, ...files.filter((f) => f.binary && f.status !== 'deleted').map((f) => f.path)]);
  for (const file of binaries) {
    const size = sizes.get(file);
    push({ severity: 'medium', rule: 'binary-file', file, message: `binary file committed${size !== undefined ? ` (${formatBytes(size)})` : ''}; keep build output and media out of git (use releases or LFS)` });
  }
  for (const [file, size] of sizes) {
    if (size > LARGE_FILE_BYTES) push({ severity: 'medium', rule: 'large-file', file, message: `large file (${formatBytes(size)} > ${formatBytes(LARGE_FILE_BYTES)}) bloats every clone` });
  }
  for (const f of files) {
    if (f.status === 'deleted') continue;
    for (const a of f.added) {
      const secret = findSecret(a.text);
      if (secret) push({ severity: 'high', rule: `secret/${secret.rule.id}`, file: f.path, line: a.line, message: `${secret.rule.what} committed (${secret.sample}); revoke it and load it from a Secret or env` });
      for (const d of DEBUG_RULES) if (d.files.test(f.path) && !(TEST.test(f.path) && d.what.startsWith('console')) && d.re.test(a.text)) push({ severity: d.what.includes('.only') ? 'medium' : 'low', rule: 'debug-leftover', file: f.path, line: a.line, message: d.what });
      if (MANIFEST.test(f.path) || /(^|\/)package\.json$/.test(f.path)) {
        for (const r of MANIFEST_RULES) if (r.re.test(a.text)) push({ severity: r.severity, rule: 'risky-manifest', file: f.path, line: a.line, message: r.what });
      }
    }
    if (MANIFEST.test(f.path) && f.removed.some((l) => /^\s*(limits|requests|resources):/.test(l)) && !f.added.some((a) => /^\s*(limits|requests|resources):/.test(a.text))) {
      push({ severity: 'medium', rule: 'risky-manifest', file: f.path, message: 'resource requests/limits removed' });
    }
  }
  const code = files.filter((f) => f.status !== 'deleted' && CODE.test(f.path) && !TEST.test(f.path) && f.added.length > 0);
  if (code.length && !files.some((f) => TEST.test(f.path))) {
    for (const f of code.slice(0, 10)) push({ severity: 'low', rule: 'untested-change', file: f.path, line: f.added[0]?.line, message: `${f.added.length} line(s) of code changed and no test changed in this commit` });
  }
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** request-changes when anything high or medium was found; approve otherwise. */
export function verdictOf(findings: Finding[]): 'approve' | 'request-changes' {
  return findings.some((f) => f.severity === 'high' || f.severity === 'medium') ? 'request-changes' : 'approve';
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}
