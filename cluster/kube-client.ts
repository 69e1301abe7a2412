/**
 * The kubeconfig half of @kubernetes/client-node, imported from its own module: the package index re-exports every
 * generated API group and model, and whatever a function's production bundle reaches through it is compiled at the
 * first cluster call. KubeConfig (credentials, TLS, proxy) is all a wire-JSON read needs (get-json); the typed API
 * groups are in kube-api-groups.ts, which kube-access loads on the first typed call.
 */
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
