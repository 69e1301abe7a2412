/** A container's environment as the kubelet builds it: values, ConfigMap/Secret references, envFrom and the downward API. */
import type { KubeObject, ObjectStore } from '../store.js';

interface KeyRef { name?: string; key: string; optional?: boolean }
interface EnvVar { name: string; value?: string; valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef; fieldRef?: { fieldPath: string } } }
interface EnvFrom { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }
export interface ContainerSpec { name: string; image?: string; args?: string[]; command?: string[]; env?: EnvVar[]; envFrom?: EnvFrom[]; [field: string]: unknown }

export type EnvResult = { ok: true; env: Record<string, string> } | { ok: false; message: string };

function sourceData(store: ObjectStore, kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Record<string, string> | undefined {
  const obj = store.peek(kind === 'ConfigMap' ? 'configmaps' : 'secrets', namespace, name);
  if (!obj) return undefined;
  const data = (obj.data ?? {}) as Record<string, string>;
  if (kind === 'ConfigMap') return { ...data };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, string>)) out[k] = v;
  return out;
}

function fieldValue(pod: KubeObject, path: string): string {
  const status = (pod.status ?? {}) as { podIP?: string; hostIP?: string };
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  switch (path) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid;
    case 'spec.nodeName': return spec.nodeName ?? '';
    case 'spec.serviceAccountName': return spec.serviceAccountName ?? 'default';
    case 'status.podIP': return status.podIP ?? '';
    case 'status.hostIP': return status.hostIP ?? '';
    default: {
      const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
      return m ? (pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]] ?? '') : '';
    }
  }
}

/** The environment, or the message of a CreateContainerConfigError (`configmap "x" not found`). */
export function containerEnv(store: ObjectStore, pod: KubeObject, container: ContainerSpec): EnvResult {
  const namespace = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const data = sourceData(store, kind, namespace, ref.name);
    if (!data) {
      if (ref.optional) continue;
      return { ok: false, message: `${kind.toLowerCase()} "${ref.name}" not found` };
    }
    for (const [k, v] of Object.entries(data)) env[(from.prefix ?? '') + k] = v;
  }
  for (const item of container.env ?? []) {
    if (item.value !== undefined || !item.valueFrom) {
      env[item.name] = item.value ?? '';
      continue;
    }
    const { configMapKeyRef, secretKeyRef, fieldRef } = item.valueFrom;
    if (fieldRef) {
      env[item.name] = fieldValue(pod, fieldRef.fieldPath);
      continue;
    }
    const ref = configMapKeyRef ?? secretKeyRef;
    if (!ref) continue;
    const kind = configMapKeyRef ? 'ConfigMap' : 'Secret';
    const data = sourceData(store, kind, namespace, ref.name ?? '');
    if (!data) {
      if (ref.optional) continue;
      return { ok: false, message: `${kind.toLowerCase()} "${ref.name}" not found` };
    }
    if (!(ref.key in data)) {
      if (ref.optional) continue;
      return { ok: false, message: `couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}` };
    }
    env[item.name] = data[ref.key];
  }
  return { ok: true, env };
}
