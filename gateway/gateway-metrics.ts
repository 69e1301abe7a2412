/** Prometheus metrics under OpenFaaS's names, in a registry of this gateway's own (no global singleton). */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  /** Records one finished invocation of `NAME.openfaas-fn`. */
  observe(functionName: string, code: number, seconds: number): void;
  /** Sum of gateway_function_invocation_total for a function, as OpenFaaS fills invocationCount. */
  invocations(functionName: string): number;
}

export function createGatewayMetrics(replicas: () => Record<string, number>): GatewayMetrics {
  const registry = new Registry();
  const counts = new Map<string, number>();
  const children = new Map<string, { total: { inc(): void }; seconds: { observe(v: number): void } }>();
  const total = new Counter({ name: 'gateway_function_invocation_total', help: 'Function invocations by function and status code', labelNames: ['function_name', 'code'], registers: [registry] });
  const seconds = new Histogram({ name: 'gateway_functions_seconds', help: 'Function time taken', labelNames: ['function_name', 'code'], registers: [registry] });
  new Gauge({
    name: 'gateway_service_count',
    help: 'Current count of replicas for function',
    labelNames: ['function_name'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [name, n] of Object.entries(replicas())) this.set({ function_name: name }, n);
    },
  });
  return {
    registry,
    observe(functionName, code, s) {
      // Labelled children are cached: resolving labels per observation is the costly part of prom-client.
      const key = `${functionName}\u0000${code}`;
      let child = children.get(key);
      if (!child) {
        child = { total: total.labels(functionName, String(code)), seconds: seconds.labels(functionName, String(code)) };
        children.set(key, child);
      }
      child.total.inc();
      child.seconds.observe(s);
      counts.set(functionName, (counts.get(functionName) ?? 0) + 1);
    },
    invocations: (functionName) => counts.get(functionName) ?? 0,
  };
}
