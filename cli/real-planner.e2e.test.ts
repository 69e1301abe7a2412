/** The CLI in-process against the real planner behind the real gateway, on kube-sim: its own run id, the stream's token, audit. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKubeAccess, type KubeClients } from '../cluster/kube-access.js';
import type { Gateway } from '../gateway/index.js';
import type { KubeSim } from '@ganglion/kube-sim';
import { startHomeLabGateway, type HomeLabGateway } from '../testing/scenario-stack.js';
import { runCli, type CliResult } from './testing/run-cli.js';
import { bearer } from '../testing/auth.js';

let stack: HomeLabGateway;
let sim: KubeSim;
let gw: Gateway;
let kube: KubeClients;
/** The CLI's own GANGLION_HOME: empty, so nothing it shows can come from reading a disk. */
let cliHome: string;

test.before(async () => {
  stack = await startHomeLabGateway();
  ({ sim, gw } = stack);
  cliHome = mkdtempSync(path.join(os.tmpdir(), 'g-cli-'));
  kube = await createKubeAccess({ kubeconfig: sim.kubeconfigPath, context: sim.context }).clients();
});
test.after(async () => {
  await stack?.stop();
});

const cli = (argv: string[], answers?: string): Promise<CliResult> =>
  runCli(['--gateway', gw.url, ...argv], { env: { GANGLION_HOME: cliHome, GANGLION_TOKEN: gw.adminToken }, stdoutIsTTY: false, pollMs: 50 }, answers);
const replicas = async (ns: string, name: string) => (await kube.apps.readNamespacedDeployment({ name, namespace: ns })).spec?.replicas;

test('the first progress line names the id the CLI sent, and the planner keeps the run under that id', async () => {
  const r = await cli(['Show me cluster status']);
  assert.is(r.code, 0, r.out + r.err);
  const id = /^run (\S+)$/.exec(r.out.split('\n')[0] ?? '')?.[1] ?? '';
  assert.match(id, /^[a-z0-9]+-\d{12}$/, r.out);
  const run = (await (await fetch(`${gw.url}/function/planner/runs/${id}`, { headers: bearer(gw.adminToken) })).json()) as { status: string; text: string; client: string };
  // the run names who authenticated (the token's principal), not what the CLI wrote
  assert.equal({ status: run.status, text: run.text, client: run.client }, { status: 'completed', text: 'Show me cluster status', client: 'admin' });
});

test('with no terminal a change waits with the token the approval route gave its starter; approving with it applies once, and ganglion audit shows it from the planner', async () => {
  const waiting = await cli(['scale placemyparents to 4']);
  assert.is(waiting.code, 3, waiting.out + waiting.err);
  const id = /^run (\S+)$/.exec(waiting.out.split('\n')[0] ?? '')?.[1] ?? '';
  const [, approveId, token] = /Approve with: ganglion approve (\S+) (\S+)/.exec(waiting.out) ?? [];
  assert.is(approveId, id);
  assert.ok(token && token !== '<token>', waiting.out);
  assert.is(await replicas('apps', 'placemyparents'), 3, 'nothing changed before approval');
  const approved = await cli(['approve', id, token ?? '']);
  assert.is(approved.code, 0, approved.out + approved.err);
  assert.is(await replicas('apps', 'placemyparents'), 4);
  const again = await cli(['approve', id, token ?? '']);
  assert.is(again.code, 1, 'a token is used once');
  const audit = await cli(['audit']);
  assert.is(audit.code, 0, audit.err);
  assert.match(audit.out, /scale deployment\/placemyparents.*replicas 3 → 4\s+applied/);
  assert.match(audit.out, `run ${id} by admin, approved by admin`);
});

test.run();
