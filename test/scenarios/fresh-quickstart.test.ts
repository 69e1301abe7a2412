/**
 * A fresh quickstart, as ./quickstart.sh brings it up: `node dist/gateway/main.js` with no KUBECONFIG (kube-sim's home
 * lab, the demo repository), /healthz polled until 200, then the first commands typed at once. "Roll back the last
 * deployment" has a history to go back to (placemyparents 1.4 → 1.3) and applies it once approved.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../cli/testing/run-cli.js';
import { spawnGateway, type SpawnedGateway } from '../../gateway/testing/spawn-gateway.js';
import { imageOf, readDeployment, rolloutDone, waitFor } from '../../testing/cluster-checks.js';
import { freePort } from '../../testing/free-port.js';
import { repoRoot } from '../../testing/scenario-stack.js';
import { createKubeAccess, type KubeClients } from '../../cluster/kube-access.js';

const run = promisify(execFile);
const home = mkdtempSync(path.join(os.tmpdir(), 'g-quick-'));
const kubeconfig = path.join(home, 'kubeconfig');
let url = '';
let gw: SpawnedGateway | undefined;
let kube: KubeClients;

const cli = (...argv: string[]) => runCli(['--gateway', url, ...argv], { env: { GANGLION_HOME: home }, stdoutIsTTY: false, pollMs: 50 });
const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 })).stdout;
const revisions = (history: string) => history.trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/)[0]);

test.before(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // started as quickstart starts it, and waited for as quickstart waits: /healthz, not the "gateway on" line
  const starting = spawnGateway({ home, stackFile: path.join(repoRoot, 'stack.yml'), env: { KUBECONFIG: '', GANGLION_PORT: String(port) } });
  starting.catch(() => undefined);
  let status = 0;
  for (let i = 0; i < 2400 && status !== 200; i++) {
    status = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
    if (status !== 200) await new Promise((r) => setTimeout(r, 50));
  }
  gw = await starting;
  assert.is(status, 200, 'the stack became healthy');
  kube = await createKubeAccess({ kubeconfig }).clients();
});
test.after(async () => {
  await gw?.stop();
  rmSync(home, { recursive: true, force: true });
});

test('"Roll back the last deployment" on a fresh quickstart offers placemyparents 1.4 → 1.3, from the history kubectl shows', async () => {
  assert.equal(revisions(await kubectl('rollout', 'history', 'deployment/placemyparents', '-n', 'apps')), ['1', '2']);
  const r = await cli('Roll back the last deployment');
  assert.is(r.code, 3, r.out + r.err);
  assert.match(r.out, /placemyparents/);
  assert.match(r.out, /image placemyparents:1\.4 → (placemyparents:)?1\.3/);
  assert.is(imageOf(await readDeployment(kube, 'apps', 'placemyparents')), 'registry.local/placemyparents:1.4', 'nothing changed before approval');
  const approve = /ganglion approve (\S+) (\S+)/.exec(r.out);
  assert.ok(approve, r.out);
  const applied = await cli('approve', approve[1] as string, approve[2] as string);
  assert.is(applied.code, 0, applied.out + applied.err);
  const { ok, value } = await waitFor(() => readDeployment(kube, 'apps', 'placemyparents'), rolloutDone);
  assert.ok(ok, 'the rollback finished rolling out');
  assert.is(imageOf(value), 'registry.local/placemyparents:1.3');
  assert.is(await kubectl('get', 'deploy', 'placemyparents', '-n', 'apps', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'registry.local/placemyparents:1.3');
  // kubectl's undo semantics: revision 1 (1.3) came back as revision 3
  assert.equal(revisions(await kubectl('rollout', 'history', 'deployment/placemyparents', '-n', 'apps')), ['2', '3']);
});

test('"Roll back the last deployment in web", where nothing has a previous revision, says so and changes nothing', async () => {
  const before = await kubectl('get', 'deploy', '-n', 'web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.generation} {end}');
  const r = await cli('--yes', 'Roll back the last deployment in web');
  assert.is.not(r.code, 0, r.out);
  assert.match(r.out + r.err, /no deployment in namespace web has a previous revision to roll back to/);
  assert.is(await kubectl('get', 'deploy', '-n', 'web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.generation} {end}'), before);
});

test.run();
