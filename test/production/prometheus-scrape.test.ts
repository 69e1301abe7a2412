import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startGateway } from '../../gateway/index.js';
import { writeFixtureStack } from '../../gateway/testing/fixture-stack.js';
import { tempHome } from '../../testing/read-tool-harness.js';
import { repoRoot } from '../../testing/k8s-files.js';
import { freePort } from '../../testing/free-port.js';

// Without the binary the test is reported as skipped, never as passed; .ci/run installs it so CI skips nothing.
const havePrometheus = spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).status === 0;
if (!havePrometheus) process.stdout.write('skip: the prometheus binary is not on PATH (apt-get install prometheus)\n');

interface ScrapeConfig { global?: Record<string, string>; scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }

(havePrometheus ? test : test.skip)('a real Prometheus, with the shipped scrape config aimed at the gateway, returns gateway_function_invocation_total from its query API', async () => {
  const home = tempHome();
  const gw = await startGateway({ stackFile: writeFixtureStack(home), mode: 'shared', home, port: 0, distRoot: path.join(repoRoot, 'dist'), env: { LOG_LEVEL: 'error' } });
  let prom: ChildProcess | undefined;
  try {
    const call = await fetch(`${gw.url}/function/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'scrape me' }) });
    assert.is(call.status, 200);
    // the shipped config, with only the target and the interval changed for the test
    const shipped = parse(readFileSync(path.join(repoRoot, 'deploy', 'prometheus', 'ganglion.yml'), 'utf8')) as ScrapeConfig;
    const job = shipped.scrape_configs.find((j) => j.job_name === 'ganglion-gateway');
    assert.ok(job, 'the shipped config has a ganglion-gateway job');
    (job.static_configs[0] as { targets: string[] }).targets = [new URL(gw.url).host];
    shipped.global = { ...shipped.global, scrape_interval: '1s', evaluation_interval: '1s' };
    const configFile = path.join(home, 'prometheus.yml');
    writeFileSync(configFile, stringify(shipped));
    const port = await freePort();
    prom = spawn('prometheus', [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(home, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    prom.stderr?.on('data', (d: Buffer) => { stderr += String(d); });
    const exited = new Promise<never>((_, reject) => prom?.once('exit', (code) => reject(new Error(`prometheus exited ${code}: ${stderr.slice(-500)}`))));
    const query = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('gateway_function_invocation_total{job="ganglion-gateway"}')}`;
    const deadline = Date.now() + 40_000;
    let result: { metric: Record<string, string>; value: [number, string] }[] = [];
    const poll = async () => {
      while (Date.now() < deadline) {
        // not up yet: no connection, or a plain-text "Service Unavailable" while it starts; ask again
        const body = await fetch(query).then((r) => r.json() as Promise<{ status: string; data?: { result: typeof result } }>).catch(() => undefined);
        if (body?.status === 'success' && body.data?.result.length) return body.data.result;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`Prometheus did not report gateway_function_invocation_total within 40 s: ${stderr.slice(-500)}`);
    };
    result = await Promise.race([poll(), exited]);
    const echo = result.find((r) => r.metric.function_name?.startsWith('echo'));
    assert.ok(echo, JSON.stringify(result));
    assert.is(echo.metric.code, '200');
    assert.ok(Number(echo.value[1]) >= 1);
    const targets = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string; labels: Record<string, string> }[] } };
    assert.is(targets.data.activeTargets[0]?.health, 'up');
  } finally {
    if (prom && prom.exitCode === null) {
      const gone = new Promise((r) => prom?.once('exit', r));
      prom.kill('SIGTERM');
      await gone;
    }
    await gw.stop();
  }
});

test.run();
