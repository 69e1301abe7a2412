import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tempHome } from '../../testing/read-tool-harness.js';
import { repoRoot } from '../../testing/k8s-files.js';

const unitFile = path.join(repoRoot, 'deploy', 'systemd', 'ganglion.service');
const unit = readFileSync(unitFile, 'utf8');
// Without systemd-analyze the verify test is reported as skipped, never as passed; .ci/run installs it.
const haveSystemdAnalyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' }).status === 0;
if (!haveSystemdAnalyze) process.stdout.write('skip: systemd-analyze is not on PATH (apt-get install systemd)\n');
// config.ts reads the settings; security-audit passes GANGLION_SCANNER_IMAGE on from config.env
const config = ['kernel/config.ts', 'functions/security-audit/handler.ts'].map((f) => readFileSync(path.join(repoRoot, f), 'utf8')).join('\n');

/** KEY=value settings of a [Section]. */
function section(name: string): [string, string][] {
  const body = unit.split(/^\[/m).find((s) => s.startsWith(`${name}]`)) ?? '';
  return body.split('\n').slice(1).filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

test('the unit starts the compiled embedded gateway against a real kubeconfig, as an unprivileged user, restarting on failure', () => {
  const svc = section('Service');
  const get = (k: string) => svc.filter(([key]) => key === k).map(([, v]) => v);
  assert.equal(get('ExecStart'), ['/usr/bin/node /opt/ganglion/dist/gateway/main.js']);
  assert.ok(existsSync(path.join(repoRoot, 'gateway', 'main.ts')), 'ExecStart runs the compiled gateway/main.ts');
  assert.is(get('User')[0], 'ganglion');
  assert.is(get('Restart')[0], 'on-failure');
  const env = Object.fromEntries(get('Environment').map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  assert.is(env.KUBECONFIG, '/etc/ganglion/kubeconfig', 'a real kubeconfig: with KUBECONFIG set npm start never starts kube-sim');
  assert.is(env.GANGLION_HOME, '/var/lib/ganglion');
  for (const name of Object.keys(env).filter((n) => n !== 'NODE_ENV')) assert.ok(new RegExp(`env\\.${name}\\b|'${name}'`).test(config), `${name} is not a setting kernel/config.ts reads`);
  const envFile = readFileSync(path.join(repoRoot, 'deploy', 'systemd', 'ganglion.env'), 'utf8');
  // a setting is read by kernel/config.ts, or substituted into stack.yml (${REGISTRY}, ${TAG}), which the gateway loads
  const stackText = readFileSync(path.join(repoRoot, 'stack.yml'), 'utf8');
  for (const line of envFile.split('\n').filter((l) => /^\w+=/.test(l))) {
    const name = line.slice(0, line.indexOf('='));
    assert.ok(new RegExp(`env\\.${name}\\b|'${name}'`).test(config) || stackText.includes(`\${${name}:-`), `ganglion.env sets ${name}, which neither kernel/config.ts nor stack.yml reads`);
  }
  assert.equal(section('Install'), [['WantedBy', 'multi-user.target']]);
});

(haveSystemdAnalyze ? test : test.skip)('systemd-analyze verify accepts the unit without a warning', () => {
  const copy = path.join(tempHome(), 'ganglion.service');
  copyFileSync(unitFile, copy);
  const res = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8', timeout: 30_000 });
  assert.is(res.status, 0, res.stderr);
  assert.is(res.stderr.trim(), '', res.stderr);
});

test.run();
