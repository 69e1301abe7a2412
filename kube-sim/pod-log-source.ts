/** The contract between kube-sim's API server and whatever produces container logs (the simulated kubelet). */

export interface PodLogOptions { container?: string; previous?: boolean; tailLines?: number; sinceSeconds?: number; limitBytes?: number; timestamps?: boolean }

/** Reads a container's log text; throws KubeStatusError (e.g. 400 "container ... is waiting to start"). */
export interface PodLogSource {
  read(namespace: string, pod: string, opts: PodLogOptions): string;
}
