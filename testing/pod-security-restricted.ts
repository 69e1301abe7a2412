/**
 * The Kubernetes Pod Security Standards' `restricted` level (baseline's rules included) as a check over a pod spec:
 * what the API server's admission would refuse in a namespace labelled pod-security.kubernetes.io/enforce=restricted.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ (v1.30 rules)
 */
import type { V1PodSpec, V1SecurityContext, V1Container } from '@kubernetes/client-node';

const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);

/** Every rule of the restricted level the pod spec breaks, one line each naming the field; empty when it passes. */
export function restrictedViolations(pod: V1PodSpec): string[] {
  const out: string[] = [];
  const psc = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push('host namespaces: hostNetwork, hostPID and hostIPC must be unset or false');
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) out.push(`securityContext.sysctls: ${s.name} is not a safe sysctl`);
  if (psc.runAsUser === 0) out.push('securityContext.runAsUser must not be 0');
  for (const v of pod.volumes ?? []) {
    const kinds = Object.keys(v).filter((k) => k !== 'name');
    for (const k of kinds) if (!RESTRICTED_VOLUMES.has(k)) out.push(`volumes[${v.name}]: ${k} volumes are not allowed`);
  }
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp && !['RuntimeDefault', 'Localhost'].includes(podSeccomp)) out.push(`securityContext.seccompProfile.type ${podSeccomp} must be RuntimeDefault or Localhost`);
  const containers: [string, V1Container][] = [
    ...(pod.initContainers ?? []).map((c): [string, V1Container] => [`initContainers[${c.name}]`, c]),
    ...pod.containers.map((c): [string, V1Container] => [`containers[${c.name}]`, c]),
  ];
  for (const [where, c] of containers) out.push(...containerViolations(where, c.securityContext ?? {}, c, psc.runAsNonRoot === true, podSeccomp !== undefined));
  return out;
}

function containerViolations(where: string, sc: V1SecurityContext, c: V1Container, podNonRoot: boolean, podSeccomp: boolean): string[] {
  const out: string[] = [];
  if (sc.privileged) out.push(`${where}: securityContext.privileged must be false`);
  if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: securityContext.allowPrivilegeEscalation must be false`);
  if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && !podNonRoot)) out.push(`${where}: runAsNonRoot must be true (on the container or the pod)`);
  if (sc.runAsUser === 0) out.push(`${where}: securityContext.runAsUser must not be 0`);
  const seccomp = sc.seccompProfile?.type;
  if (seccomp ? !['RuntimeDefault', 'Localhost'].includes(seccomp) : !podSeccomp) out.push(`${where}: seccompProfile.type must be RuntimeDefault or Localhost (on the container or the pod)`);
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${where}: securityContext.capabilities.drop must include ALL`);
  for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${where}: capability ${cap} may not be added (only NET_BIND_SERVICE)`);
  if (sc.procMount && sc.procMount !== 'Default') out.push(`${where}: securityContext.procMount must be Default`);
  if (sc.windowsOptions?.hostProcess) out.push(`${where}: hostProcess containers are not allowed`);
  for (const p of c.ports ?? []) if (p.hostPort) out.push(`${where}: hostPort ${p.hostPort} is not allowed`);
  return out;
}
