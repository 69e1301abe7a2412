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
      const labels = { function_name: functionName, code: String(code) };
      total.inc(labels);
      seconds.observe(labels, s);
      counts.set(functionName, (counts.get(functionName) ?? 0) + 1);
    },
    invocations: (functionName) => counts.get(functionName) ?? 0,
  };
}
