/** The shapes the object store holds and reports: objects with their metadata, list options, watch events. */
export interface OwnerReference { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }
export interface ObjectMeta {
  name: string; namespace?: string; uid: string; resourceVersion: string; generation?: number; creationTimestamp: string;
  generateName?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerReference[];
  deletionTimestamp?: string; finalizers?: string[]; managedFields?: unknown[]; deletionGracePeriodSeconds?: number;
}
export interface KubeObject { apiVersion: string; kind: string; metadata: ObjectMeta; [field: string]: unknown }
export type NewObject = Omit<KubeObject, 'metadata'> & { metadata: Partial<ObjectMeta> & ({ name: string } | { generateName: string }) };
export interface ListOptions { namespace?: string; labelSelector?: string; fieldSelector?: string }
export interface StoreEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED'; resource: string; object: KubeObject }
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';
