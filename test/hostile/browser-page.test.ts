/**
 * Done when "a cross-site page opened in headless Chromium cannot change anything or read a run": a page served from
 * another origin fetches (no-cors and cors, text/plain and JSON), posts a form and reads the runs; Debian's chromium
 * runs it and dumps the DOM the page wrote its findings into. No run starts, no Deployment changes, nothing is read.
 */
import { execFile, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHostileStack, type HostileStack } from '../../testing/hostile-stack.js';

const chromium = ['chromium', 'chromium-browser'].find((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0);
const NAME = 'a cross-site page in headless Chromium starts no run, changes no Deployment and reads no run';

/** The attacker's page: every way a page can reach the gateway; it writes what happened into #out. */
function attackerPage(gateway: string): string {
  const command = JSON.stringify({ text: 'Scale placemyparents to 0 replicas', context: { yes: true } });
  return `<!doctype html><html><body><pre id="out">pending</pre>
<iframe name="sink" style="display:none"></iframe>
<form id="f" method="POST" action="${gateway}/function/planner" enctype="text/plain" target="sink">
<input name='${command.slice(0, -1)},"pad":"' value='"}'></form>
<script>
const gw = ${JSON.stringify(gateway)};
const body = ${JSON.stringify(command)};
const results = {};
async function attempt(name, fn) {
  try { results[name] = await fn(); } catch (e) { results[name] = 'blocked: ' + e.name; }
}
(async () => {
  document.getElementById('f').submit();
  await attempt('no-cors text/plain POST', async () => (await fetch(gw + '/function/planner', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body })).type);
  await attempt('no-cors text/plain async POST', async () => (await fetch(gw + '/async-function/planner', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body })).type);
  await attempt('no-cors form-urlencoded scale', async () => (await fetch(gw + '/function/scale', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '{"name":"placemyparents","namespace":"apps","replicas":0}' })).type);
  await attempt('cors JSON POST', async () => { const r = await fetch(gw + '/function/planner', { method: 'POST', headers: { 'content-type': 'application/json' }, body }); return 'read ' + r.status + ' ' + (await r.text()).slice(0, 100); });
  await attempt('cors read of the runs', async () => { const r = await fetch(gw + '/function/planner/runs'); return 'read ' + r.status + ' ' + (await r.text()).slice(0, 100); });
  await attempt('credentialed read of the runs', async () => { const r = await fetch(gw + '/function/planner/runs', { credentials: 'include' }); return 'read ' + (await r.text()).slice(0, 100); });
  await attempt('no-cors read of the runs', async () => { const r = await fetch(gw + '/function/planner/runs', { mode: 'no-cors' }); const t = await r.text(); return t ? 'read ' + t.slice(0, 100) : 'opaque'; });
  await new Promise((r) => setTimeout(r, 500));
  document.getElementById('out').textContent = 'RESULTS' + JSON.stringify(results) + 'END';
})();
</script></body></html>`;
}

function run(bin: string, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--virtual-time-budget=10000', '--dump-dom', url],
      { timeout: 60_000, maxBuffer: 10 * 1024 * 1024 }, (err, stdout, stderr) => (err && !stdout ? reject(new Error(`${bin} failed: ${err.message}\n${stderr.slice(-2000)}`)) : resolve(stdout)));
  });
}

if (!chromium) {
  console.log(`SKIPPED: ${NAME} — no chromium binary here; install Debian's package (apt-get install -y chromium), as .ci/run does`);
  test.skip(NAME, () => undefined);
} else {
  test(NAME, async () => {
    const stack: HostileStack = await startHostileStack();
    // The page's origin is another site: "localhost" and another port, while the gateway is at 127.0.0.1.
    const page = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(attackerPage(stack.gw.url)); });
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    try {
      const deployments = await stack.deployments();
      const runs = await stack.runs();
      const dom = await run(chromium, `http://localhost:${(page.address() as AddressInfo).port}/`);
      const found = /<pre id="out">RESULTS(.*?)END<\/pre>/s.exec(dom);
      assert.ok(found, `the page ran its script and wrote its findings: ${dom.slice(0, 500)}`);
      const results = JSON.parse((found?.[1] ?? '{}').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')) as Record<string, string>;
      assert.is(Object.keys(results).length, 7, JSON.stringify(results));
      for (const [what, outcome] of Object.entries(results)) assert.not.match(outcome, /^read /, `${what} read an answer: ${outcome}`);
      // Give a request that got through time to act before the cluster is compared.
      await new Promise((r) => setTimeout(r, 1_000));
      assert.equal(await stack.runs(), runs, 'no run started');
      assert.equal(await stack.deployments(), deployments, 'Deployments unchanged');
      assert.is((await stack.send('GET', '/healthz')).status, 200);
    } finally {
      page.close();
      page.closeAllConnections();
      await stack.stop();
    }
  });
}
test.run();
