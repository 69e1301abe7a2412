import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAppMetrics, quantile, sinceBaseline } from './app-metrics.js';
import { compareVersions, twoProportionZ, type VersionFigures } from './canary-verdict.js';

const METRICS = `# TYPE app_info gauge
app_info{app="placemyparents",version="2.1"} 1
http_requests_total{method="GET",route="/api/listings",code="500"} 8
http_requests_total{method="GET",route="/api/listings",code="200"} 2
http_requests_total{method="GET",route="/readyz",code="200"} 40
http_request_duration_seconds_bucket{route="/api/listings",le="0.005"} 6
http_request_duration_seconds_bucket{route="/api/listings",le="0.5"} 10
http_request_duration_seconds_bucket{route="/api/listings",le="+Inf"} 10
http_request_duration_seconds_bucket{route="/readyz",le="0.005"} 40
http_request_duration_seconds_bucket{route="/readyz",le="+Inf"} 40
`;

test('an app\'s metrics: requests and 5xx of the traffic routes (probes left out), the version, a quantile inside its bucket', () => {
  const m = parseAppMetrics(METRICS);
  assert.is(m.version, '2.1');
  assert.equal([m.counters.requests, m.counters.errors], [10, 8]);
  assert.equal(m.counters.buckets, [[0.005, 6], [0.5, 10], [Infinity, 10]]);
  assert.is(quantile(m.counters, 0.5), 0.005 * (5 / 6));
  assert.ok(Math.abs((quantile(m.counters, 0.95) ?? 0) - (0.005 + 0.495 * (3.5 / 4))) < 1e-9);
});

test('counts since the canary started subtract the baseline; a pod that restarted counts from zero', () => {
  const now = { requests: 30, errors: 1, buckets: [[0.005, 30], [Infinity, 30]] as Array<[number, number]> };
  assert.equal(sinceBaseline(now, { requests: 10, errors: 1, buckets: [[0.005, 10], [Infinity, 10]] }), { requests: 20, errors: 0, buckets: [[0.005, 20], [Infinity, 20]] });
  assert.equal(sinceBaseline(now, { requests: 50, errors: 0, buckets: [] }), now);
});

const f = (over: Partial<VersionFigures>): VersionFigures => ({ version: 'x', pods: 1, requests: 100, errors: 0, p95Ms: 5, ...over });

test('the verdict: too few requests, more errors (z ≥ 1.96), slower p95, or no clear difference', () => {
  assert.is(compareVersions(f({ requests: 200 }), f({ requests: 49 })).verdict, 'not-enough-traffic');
  const errors = compareVersions(f({ requests: 200, errors: 1 }), f({ requests: 50, errors: 40 }));
  assert.is(errors.verdict, 'canary-worse');
  assert.match(errors.reasons[0] ?? '', /more errors \(40\/50 errors vs 1\/200 errors, z = /);
  assert.is(compareVersions(f({}), f({ p95Ms: 480 })).verdict, 'canary-worse');
  assert.is(compareVersions(f({ p95Ms: 480 }), f({})).verdict, 'canary-better');
  assert.is(compareVersions(f({ errors: 1 }), f({ errors: 2, p95Ms: 9 })).verdict, 'no-clear-difference', '1 vs 2 errors in 100 and 5 vs 9 ms are within the rule');
  assert.ok(Math.abs(twoProportionZ(1, 100, 2, 100)) < 1.96);
});

test.run();
