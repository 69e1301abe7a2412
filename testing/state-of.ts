/** Test support: the state client of a running kube-sim (by its kubeconfig), to read audit records or put ApprovalPolicies. */
import { createKubeAccess } from '../cluster/kube-access.js';
import { stateClient, type StateClient } from '../cluster-state/ganglion-objects.js';
import { readAllAudit, type AuditRecord } from '../audit/audit-log.js';
import { loadConfig } from '../kernel/config.js';

export function stateOf(kubeconfig: string, { context = '', namespace = 'ganglion' }: { context?: string; namespace?: string } = {}): StateClient {
  return stateClient(createKubeAccess({ kubeconfig, ...(context ? { context } : {}) }), loadConfig({ GANGLION_STATE_NAMESPACE: namespace }));
}

/** Every audit record, oldest first. */
export async function auditRecords(state: StateClient): Promise<AuditRecord[]> {
  return (await readAllAudit(state)).records;
}
