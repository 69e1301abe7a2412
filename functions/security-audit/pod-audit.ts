/** The spec audit: what in a pod's spec gives an attacker more than it should, as findings ranked by severity. */
import { compareNames } from '../../cluster/name-order.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low'];

interface SecurityContext {
  privileged?: boolean;
  runAsUser?: number;
  runAsNonRoot?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[] };
}
interface AuditContainer {
  name: string;
  image?: string;
  securityContext?: SecurityContext;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}
/** The parts of a pod the audit reads (wire JSON). */
export interface AuditPod {
  metadata?: { name?: string; namespace?: string; ownerReferences?: { kind: string; name: string }[] };
  spec?: {
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    securityContext?: SecurityContext;
    containers?: AuditContainer[];
    initContainers?: AuditContainer[];
    volumes?: { name: string; hostPath?: { path: string } }[];
  };
  status?: { phase?: string };
}

export interface SpecFinding {
  severity: Severity;
  /** Stable rule id, e.g. privileged, run-as-root, host-path. */
  rule: string;
  namespace: string;
  pod: string;
  container?: string;
  /** What is wrong and what to do, one line. */
  message: string;
}

// Capabilities that amount to root on the node; any other added one is still worth a look.
const DANGEROUS_CAPS = new Set(['SYS_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'ALL', 'BPF', 'SYS_RAWIO']);

/** An image without a tag or with :latest cannot be pinned or rolled back. */
export function floatingTag(image: string): boolean {
  const noDigest = image.split('@')[0] as string;
  if (image.includes('@')) return false;
  const last = noDigest.split('/').pop() as string;
  return !last.includes(':') || last.endsWith(':latest');
}

function containerFindings(pod: AuditPod, c: AuditContainer, where: { namespace: string; pod: string }): SpecFinding[] {
  const out: SpecFinding[] = [];
  const add = (severity: Severity, rule: string, message: string) => out.push({ severity, rule, ...where, container: c.name, message });
  const sc = c.securityContext ?? {};
  const podSc = pod.spec?.securityContext ?? {};
  if (sc.privileged) add('critical', 'privileged', `container ${c.name} is privileged: it has every capability and the host's devices; remove securityContext.privileged`);
  const uid = sc.runAsUser ?? podSc.runAsUser;
  if (uid === 0) add('high', 'run-as-root', `container ${c.name} runs as root (runAsUser 0); set runAsUser to a non-zero id and runAsNonRoot: true`);
  else if (uid === undefined && !(sc.runAsNonRoot ?? podSc.runAsNonRoot)) add('low', 'root-not-excluded', `container ${c.name} sets neither runAsUser nor runAsNonRoot, so it runs as the image's user (root for most images)`);
  for (const cap of sc.capabilities?.add ?? []) {
    const name = cap.replace(/^CAP_/, '');
    add(DANGEROUS_CAPS.has(name) ? 'high' : 'medium', 'added-capability', `container ${c.name} adds capability ${name}; drop it unless the workload cannot run without it`);
  }
  if (sc.allowPrivilegeEscalation === true && !sc.privileged) add('medium', 'privilege-escalation', `container ${c.name} allows privilege escalation; set allowPrivilegeEscalation: false`);
  if (c.image && floatingTag(c.image)) add('medium', 'floating-tag', `container ${c.name} uses ${c.image}: a floating tag cannot be pinned, audited or rolled back; use a version tag or digest`);
  const limits = c.resources?.limits ?? {};
  if (!limits.memory || !limits.cpu) {
    const missing = ['cpu', 'memory'].filter((k) => !limits[k]).join(' and ');
    add('low', 'missing-limits', `container ${c.name} has no ${missing} limit: it can starve the node (a Pi has 4–8 GiB); set resources.limits`);
  }
  return out;
}

/** Every finding of one pod. */
export function auditPod(pod: AuditPod): SpecFinding[] {
  const where = { namespace: pod.metadata?.namespace ?? '', pod: pod.metadata?.name ?? '' };
  const spec = pod.spec ?? {};
  const out: SpecFinding[] = [];
  const add = (severity: Severity, rule: string, message: string) => out.push({ severity, rule, ...where, message });
  if (spec.hostPID) add('critical', 'host-pid', 'shares the host PID namespace (hostPID): it can see and signal every process on the node');
  if (spec.hostNetwork) add('high', 'host-network', 'uses the host network (hostNetwork): it bypasses NetworkPolicies and can bind node ports');
  if (spec.hostIPC) add('high', 'host-ipc', 'shares the host IPC namespace (hostIPC)');
  for (const v of spec.volumes ?? []) {
    if (!v.hostPath) continue;
    const root = v.hostPath.path === '/' || v.hostPath.path === '';
    add(root ? 'critical' : 'high', 'host-path', `mounts host path ${v.hostPath.path} (volume ${v.name})${root ? ': the whole node filesystem' : ''}; use a PersistentVolumeClaim`);
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) out.push(...containerFindings(pod, c, where));
  return out;
}

const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);

/** Findings of the running pods, most severe first, then by namespace/pod. */
export function auditPods(pods: AuditPod[], minSeverity: Severity = 'low'): SpecFinding[] {
  const running = pods.filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending');
  return running
    .flatMap(auditPod)
    .filter((f) => rank(f.severity) <= rank(minSeverity))
    .sort((a, b) => rank(a.severity) - rank(b.severity) || compareNames(`${a.namespace}/${a.pod}`, `${b.namespace}/${b.pod}`) || compareNames(a.rule, b.rule));
}

/** The distinct images the running pods use, with where they run. */
export function runningImages(pods: AuditPod[]): Map<string, string[]> {
  const images = new Map<string, string[]>();
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
      if (!c.image) continue;
      const at = `${p.metadata?.namespace}/${p.metadata?.name}`;
      images.set(c.image, [...(images.get(c.image) ?? []), at]);
    }
  }
  return images;
}
