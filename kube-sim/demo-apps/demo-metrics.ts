/** The demo app's request metrics in Prometheus text format: request count, 5xx errors and a latency histogram per route. */

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface RouteStats { counts: number[]; sum: number; count: number; errors: number }

export function createMetrics({ app, version }: { app: string; version: string }) {
  const requests = new Map<string, number>();
  const routes = new Map<string, RouteStats>();

  function observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route}",code="${status}"`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    let stats = routes.get(route);
    if (!stats) {
      stats = { counts: BUCKETS.map(() => 0), sum: 0, count: 0, errors: 0 };
      routes.set(route, stats);
    }
    BUCKETS.forEach((le, i) => { if (seconds <= le) stats.counts[i]++; });
    stats.sum += seconds;
    stats.count++;
    if (status >= 500) stats.errors++;
  }

  function render(): string {
    const out = [
      '# HELP app_info The application and version this process serves.',
      '# TYPE app_info gauge',
      `app_info{app="${app}",version="${version}"} 1`,
      '# HELP http_requests_total Requests answered, by method, route and status code.',
      '# TYPE http_requests_total counter',
      ...[...requests].map(([labels, n]) => `http_requests_total{${labels}} ${n}`),
      '# HELP http_request_errors_total Requests answered with a 5xx status, by route.',
      '# TYPE http_request_errors_total counter',
      ...[...routes].map(([route, s]) => `http_request_errors_total{route="${route}"} ${s.errors}`),
      '# HELP http_request_duration_seconds Time to answer a request, by route.',
      '# TYPE http_request_duration_seconds histogram',
    ];
    for (const [route, s] of routes) {
      BUCKETS.forEach((le, i) => out.push(`http_request_duration_seconds_bucket{route="${route}",le="${le}"} ${s.counts[i]}`));
      out.push(`http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${s.count}`);
      out.push(`http_request_duration_seconds_sum{route="${route}"} ${s.sum.toFixed(6)}`);
      out.push(`http_request_duration_seconds_count{route="${route}"} ${s.count}`);
    }
    return `${out.join('\n')}\n`;
  }

  return { observe, render };
}
