/**
 * One worker image name everywhere: what scripts/build-images.sh builds and pushes is what stack.yml hands the
 * functions (GANGLION_WORKER_IMAGE), kernel/config.ts defaults to, the Job template and the retention CronJob run and the docs name.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../kernel/config.js';
import { loadStack } from '../../stack/stack-file.js';
import { readManifests, repoRoot } from '../../testing/k8s-files.js';

const script = path.join(repoRoot, 'scripts', 'build-images.sh');
const DIGEST = `sha256:${'a'.repeat(64)}`;
const PLATFORMS = 'linux/arm64,linux/amd64';

function buildImages(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', [script, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const pushedWorker = (out: string) => /^docker buildx build .*--tag (\S+) --push \.$/m.exec(out)?.[1];

test('the build script refuses to build the worker on an unpinned base image, and says how to get the digest', () => {
  for (const digest of [undefined, 'latest', 'sha256:abc']) {
    const r = buildImages(digest ? { NODE_DIGEST: digest } : {}, 'worker', '--print');
    assert.is(r.status, 2, r.stdout);
    assert.match(r.stderr, 'NODE_DIGEST');
    assert.match(r.stderr, 'docker buildx imagetools inspect node:24-bookworm-slim');
  }
  // the function images do not need it
  assert.is(buildImages({}, 'functions', '--print').status, 0);
});

test('with REGISTRY and TAG set, the script pushes the worker and every function for arm64 and amd64 under the names stack.yml gives them', () => {
  const env = { REGISTRY: 'registry.example/team', TAG: '2.3.4', NODE_DIGEST: DIGEST };
  const r = buildImages(env, '--print');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, `docker buildx build --platform ${PLATFORMS} -f workers/Dockerfile --build-arg NODE_IMAGE=node:24-bookworm-slim@${DIGEST} `);
  assert.match(r.stdout, `faas-cli publish -f stack.yml --platforms ${PLATFORMS}`);
  const worker = pushedWorker(r.stdout);
  assert.is(worker, 'registry.example/team/ganglion-worker:2.3.4');
  const stack = loadStack(path.join(repoRoot, 'stack.yml'), env);
  for (const [name, fn] of Object.entries(stack.functions)) {
    assert.is(fn.environment?.GANGLION_WORKER_IMAGE, worker, `${name}: GANGLION_WORKER_IMAGE`);
    assert.is(fn.image, `registry.example/team/ganglion-${name}:2.3.4`);
  }
  // the cluster settings file must not pin another name over stack.yml's (faas-cli lets the file win)
  const cluster = parse(readFileSync(path.join(repoRoot, 'deploy', 'openfaas-env.yml'), 'utf8')) as { environment: Record<string, string> };
  assert.not.ok('GANGLION_WORKER_IMAGE' in cluster.environment);
});

test('by default the script, stack.yml, kernel/config.ts, the agent Job template, the retention CronJob and the docs all name the same worker image', () => {
  const worker = pushedWorker(buildImages({ NODE_DIGEST: DIGEST }, 'worker', '--print').stdout);
  assert.is(worker, 'ghcr.io/ganglion/ganglion-worker:0.1.0');
  assert.is(loadConfig({}).workers.image, worker);
  for (const fn of Object.values(loadStack(path.join(repoRoot, 'stack.yml'), {}).functions)) assert.is(fn.environment?.GANGLION_WORKER_IMAGE, worker);
  // the systemd unit's settings (the embedded gateway substitutes them into stack.yml) name it too
  const unitEnv = Object.fromEntries(readFileSync(path.join(repoRoot, 'deploy', 'systemd', 'ganglion.env'), 'utf8').split('\n').filter((l) => /^\w+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.is(loadStack(path.join(repoRoot, 'stack.yml'), unitEnv).functions['run-tests']?.environment?.GANGLION_WORKER_IMAGE, worker);
  const template = readManifests().find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'ganglion-agent-job') as { data: Record<string, string> } | undefined;
  const job = parse(template?.data['job.yaml'] ?? '') as { spec: { template: { spec: { containers: { image: string }[] } } } };
  assert.is(job.spec.template.spec.containers[0]?.image, worker);
  // the retention CronJob runs the prune role of the same image
  const retention = readManifests().find((m) => m.kind === 'CronJob' && m.metadata.name === 'ganglion-retention') as { spec: { jobTemplate: { spec: { template: { spec: { containers: { image: string; args: string[] }[] } } } } } } | undefined;
  assert.equal(retention?.spec.jobTemplate.spec.template.spec.containers.map((c) => [c.image, c.args]), [[worker, ['prune']]]);
  for (const doc of ['docs/production.md', 'docs/code-operations.md']) {
    const named = [...readFileSync(path.join(repoRoot, doc), 'utf8').matchAll(/[\w.\/-]*ganglion-worker:[\w.]+/g)].map((m) => m[0]);
    assert.ok(named.length > 0, `${doc} does not name the worker image`);
    assert.equal([...new Set(named)], [worker], doc);
  }
});

test.run();
