/**
 * The simulated pod network: which local port stands for `podIP:containerPort` of a container kube-sim runs for
 * real. Probes, the cluster proxy and nothing else reach a pod through it; an address nobody serves is refused.
 */
export interface PodNetwork {
  /** the container at podIP serves its containerPort on 127.0.0.1:localPort */
  attach(podIP: string, containerPort: number, localPort: number): void;
  /** the process behind podIP:containerPort is gone */
  detach(podIP: string, containerPort: number): void;
  /** the local port behind podIP:port, when a process serves it */
  resolve(podIP: string, port: number): number | undefined;
}

export function createPodNetwork(): PodNetwork {
  const ports = new Map<string, number>();
  return {
    attach: (podIP, containerPort, localPort) => { ports.set(`${podIP}:${containerPort}`, localPort); },
    detach: (podIP, containerPort) => { ports.delete(`${podIP}:${containerPort}`); },
    resolve: (podIP, port) => ports.get(`${podIP}:${port}`),
  };
}
