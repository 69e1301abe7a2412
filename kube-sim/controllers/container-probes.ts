/**
 * Readiness and liveness probes run for real against a container kube-sim runs as a process, through the pod
 * network (so a wrong port is refused, as on a node): httpGet and tcpSocket; the kubelet's thresholds and messages.
 */
import http from 'node:http';
import net from 'node:net';
import type { PodNetwork } from '../network/pod-network.js';

type PortRef = number | string;
export interface Probe {
  httpGet?: { path?: string; port: PortRef; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: PortRef };
  exec?: { command?: string[] };
  initialDelaySeconds?: number; periodSeconds?: number; timeoutSeconds?: number; failureThreshold?: number; successThreshold?: number;
}
export interface ProbedContainer { readinessProbe?: Probe; livenessProbe?: Probe; ports?: { name?: string; containerPort: number }[] }
export interface ProbeResult { ok: boolean; message: string }

export interface ProberOptions {
  container: ProbedContainer; podIP: string; network: PodNetwork;
  /** one second of probe periods and initial delays (timeouts stay real seconds: a process answers at its own speed) */
  secondMs: number;
  onReadiness(ready: boolean): void;
  /** a probe failed (the kubelet's `Unhealthy` event) */
  onFailure(kind: 'Readiness' | 'Liveness', message: string): void;
  /** failureThreshold liveness failures in a row: the container is to be restarted */
  onLivenessFailed(): void;
}

const MIN_PERIOD_MS = 50;

function portOf(ref: PortRef, container: ProbedContainer): number | undefined {
  if (typeof ref === 'number') return ref;
  const named = container.ports?.find((p) => p.name === ref)?.containerPort;
  return named ?? (/^\d+$/.test(ref) ? Number(ref) : undefined);
}

function httpProbe(localPort: number, shown: string, path: string, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: localPort, path, headers: { 'user-agent': 'kube-probe/1.32', ...headers }, timeout: timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${status}` });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ ok: false, message: err.message === 'timeout' ? `Get "${shown}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` : `Get "${shown}": ${err.message}` }));
  });
}

function tcpProbe(localPort: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: localPort, timeout: timeoutMs }, () => { socket.destroy(); resolve(true); });
    socket.on('timeout', () => { socket.destroy(); resolve(false); });
    socket.on('error', () => resolve(false));
  });
}

/** One probe, once. exec probes are not run (there is no container filesystem to run them in) and count as passing. */
export async function runProbe(probe: Probe, container: ProbedContainer, podIP: string, network: PodNetwork): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const ref = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (ref === undefined) return { ok: true, message: '' };
  const port = portOf(ref, container);
  const refused = `dial tcp ${podIP}:${port ?? ref}: connect: connection refused`;
  const localPort = port === undefined ? undefined : network.resolve(podIP, port);
  if (probe.httpGet) {
    const path = probe.httpGet.path ?? '/';
    const shown = `http://${podIP}:${port ?? ref}${path}`;
    if (localPort === undefined) return { ok: false, message: `Get "${shown}": ${refused}` };
    const headers = Object.fromEntries((probe.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value]));
    return httpProbe(localPort, shown, path, headers, timeoutMs);
  }
  if (localPort !== undefined && await tcpProbe(localPort, timeoutMs)) return { ok: true, message: '' };
  return { ok: false, message: refused };
}

/** Runs the container's probes every periodSeconds until stopped; the container counts as ready only once its readiness probe passed. */
export function startProber(opts: ProberOptions): { stop(): void } {
  const { container, podIP, network, secondMs } = opts;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); if (!stopped) fn(); }, ms);
    t.unref();
    timers.add(t);
  };

  function loop(kind: 'Readiness' | 'Liveness', probe: Probe): void {
    const period = Math.max(MIN_PERIOD_MS, (probe.periodSeconds ?? 10) * secondMs);
    const failureThreshold = probe.failureThreshold ?? 3;
    const successThreshold = probe.successThreshold ?? 1;
    let failures = 0;
    let successes = 0;
    let ready = false;
    const tick = async () => {
      const result = await runProbe(probe, container, podIP, network);
      if (stopped) return;
      if (result.ok) {
        failures = 0;
        successes++;
        if (kind === 'Readiness' && !ready && successes >= successThreshold) opts.onReadiness(ready = true);
      } else {
        successes = 0;
        failures++;
        opts.onFailure(kind, result.message);
        if (kind === 'Readiness' && (ready ? failures >= failureThreshold : failures === 1)) opts.onReadiness(ready = false);
        if (kind === 'Liveness' && failures >= failureThreshold) {
          opts.onLivenessFailed();
          return;
        }
      }
      later(period, () => void tick());
    };
    later((probe.initialDelaySeconds ?? 0) * secondMs, () => void tick());
  }

  if (container.readinessProbe) loop('Readiness', container.readinessProbe);
  else opts.onReadiness(true);
  if (container.livenessProbe) loop('Liveness', container.livenessProbe);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
