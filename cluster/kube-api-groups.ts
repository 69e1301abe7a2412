/**
 * The typed API groups cluster access builds (CoreV1Api alone is ~0.6 MB of generated code), imported from the module
 * that defines them rather than the package index, and loaded by kube-access on a function's first typed call.
 */
export { ObjectAppsV1Api as AppsV1Api, ObjectBatchV1Api as BatchV1Api, ObjectCoreV1Api as CoreV1Api } from '@kubernetes/client-node/dist/gen/types/ObjectParamAPI.js';
