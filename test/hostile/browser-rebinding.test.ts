/**
 * Hostile web pages (CSRF and DNS rebinding): every state-changing request a page can make is refused 403 or 421 even
 * when the browser holds the admin's credentials, and nothing a page reads carries CORS permission to read it.
 */
import * as assert from 'uvu/assert';
import { codeOf, hostileGroup, type HostileCase } from '../../testing/hostile-group.js';
import { startHostileStack, type HostileStack } from '../../testing/hostile-stack.js';

const stack: HostileStack = await startHostileStack();
const port = new URL(stack.gw.url).port;
const it = () => stack;

/** Requests that would change the cluster if they got through: the admin's token is on every one. */
const SCALE_TO_ZERO = '{"text":"Scale placemyparents to 0 replicas","context":{"yes":true}}';
const TARGETS: [string, string, string][] = [
  ['POST', '/function/planner', SCALE_TO_ZERO],
  ['POST', '/function/planner.openfaas-fn', SCALE_TO_ZERO],
  ['POST', '/async-function/planner', SCALE_TO_ZERO],
  ['POST', '/function/scale', '{"name":"placemyparents","namespace":"apps","replicas":0}'],
  ['POST', '/function/restart', '{"name":"placemyparents","namespace":"apps"}'],
  ['POST', '/function/planner/runs/run-abc123/approve', '{"token":"x"}'],
  ['PUT', '/function/planner', SCALE_TO_ZERO],
  ['DELETE', '/system/functions', '{"functionName":"scale"}'],
];

/** What a browser adds to a page's request: each alone must be enough to refuse it. */
const PAGES: [string, Record<string, string>][] = [
  ['Origin https://evil.example, text/plain', { origin: 'https://evil.example', 'content-type': 'text/plain' }],
  ['Origin https://evil.example, application/json (a CORS request)', { origin: 'https://evil.example', 'content-type': 'application/json' }],
  ['Origin null (sandboxed iframe, file://)', { origin: 'null', 'content-type': 'text/plain' }],
  [`Origin http://127.0.0.1:${Number(port) + 1} (another local port)`, { origin: `http://127.0.0.1:${Number(port) + 1}`, 'content-type': 'text/plain' }],
  ['Origin http://127.0.0.1.evil.example', { origin: `http://127.0.0.1.evil.example:${port}`, 'content-type': 'text/plain' }],
  ['Sec-Fetch-Site cross-site without Origin', { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }],
  ['Sec-Fetch-Site same-site without Origin', { 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' }],
  ['an Origin that is not a URL', { origin: 'evil', 'content-type': 'text/plain' }],
  ['a form post (application/x-www-form-urlencoded) from Origin https://evil.example', { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }],
];

const csrf: HostileCase[] = [];
for (const [label, headers] of PAGES) {
  for (const [method, target, body] of TARGETS) {
    csrf.push({
      name: `${method} ${target} with ${label} → 403 cross_site_request`,
      async run() {
        const r = await stack.send(method, target, headers, body);
        assert.is(r.status, 403, r.body.slice(0, 200));
        assert.match(r.body, 'cross_site_request');
      },
    });
  }
}

/** Names a rebinding page can be served under (the attacker's DNS now answers 127.0.0.1). */
const HOSTS = [`evil.example:${port}`, 'evil.example', 'attacker.com.', `127.0.0.1.nip.io:${port}`, 'localhost.evil.example', 'ganglion.local', 'xn--80ak6aa92e.com', `EVIL.EXAMPLE:${port}`];
const rebinding: HostileCase[] = [];
for (const host of HOSTS) {
  for (const [method, target, body] of [['GET', '/function/planner/runs', ''], ['POST', '/function/planner', SCALE_TO_ZERO]] as const) {
    rebinding.push({
      name: `${method} ${target} with Host ${host} → 421 host_not_allowed`,
      async run() {
        const r = await stack.send(method, target, { host, 'content-type': 'text/plain' }, body);
        assert.is(r.status, 421, r.body.slice(0, 200));
        assert.match(r.body, 'host_not_allowed');
      },
    });
  }
}

/** Reads a page may send (they change nothing): the answer must not grant the page CORS access to read it. */
const READS: [string, string, Record<string, string>][] = [
  ['GET', '/function/planner/runs', {}],
  ['GET', '/function/planner/runs/run-abc123', {}],
  ['GET', '/function/planner/runs/run-abc123/events', {}],
  ['GET', '/function/planner/audit', {}],
  ['GET', '/function/cluster-status', {}],
  ['OPTIONS', '/function/planner', { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' }],
];
const reads: HostileCase[] = READS.map(([method, target, extra]) => ({
  name: `${method} ${target} from Origin https://evil.example gets no Access-Control-Allow-Origin, so the page cannot read it`,
  async run() {
    const r = await stack.send(method, target, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', ...extra });
    assert.ok(r.status < 500, `${r.status} ${r.body.slice(0, 200)}`);
    assert.is(r.headers['access-control-allow-origin'], undefined, `${method} ${target}: ${codeOf(r.body)}`);
    assert.is(r.headers['access-control-allow-credentials'], undefined);
  },
}));

const groups = [
  hostileGroup('CSRF', it, csrf),
  hostileGroup('DNS rebinding', it, rebinding),
  hostileGroup('cross-site reads', it, reads),
];
groups[groups.length - 1]?.after(() => stack.stop());
for (const g of groups) g.run();
