/**
 * The worker image (workers/Dockerfile), checked offline: its stages and run-time settings against what the Job
 * mounts, the bundle its build stage makes — built here from the same sources and run as the ENTRYPOINT runs it,
 * with nothing but the bundle beside it — and both Dockerfiles through a real linter (dockerfile-utils).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { WORKER_SCRATCH } from '../../cluster/job-runner.js';
import { findResultLine } from '../../events/worker-result.js';
import { createDemoRepo, STAGING_FAILURE } from '../../workers/demo-repo.js';
import { dockerfileStages, runCommands, type Stage } from '../../testing/dockerfile-stages.js';
import { repoRoot } from '../../testing/k8s-files.js';

const dockerfilePath = path.join(repoRoot, 'workers', 'Dockerfile');
const dockerfile = readFileSync(dockerfilePath, 'utf8');
const { args, stages } = dockerfileStages(dockerfile);
const build = stages.find((s) => s.name === 'build') as Stage;
const ship = stages[stages.length - 1] as Stage;
const env = Object.fromEntries(ship.lines.filter((l) => l.startsWith('ENV')).join(' ').replace(/^ENV\s+|\sENV\s+/g, ' ').trim().split(/\s+/).map((kv) => kv.split('=') as [string, string]));

test('built on BUILDPLATFORM, shipped on TARGETPLATFORM, both from Node 24 (the LTS) as the function template is, engines still >=20', () => {
  assert.is(build.platform, '${BUILDPLATFORM}');
  assert.is(ship.platform, '${TARGETPLATFORM}');
  assert.ok(args.includes('ARG NODE_IMAGE=node:24-bookworm-slim'), 'the base image argument does not default to node:24-bookworm-slim');
  for (const s of stages) assert.is(s.from, '${NODE_IMAGE}', `stage ${s.name} does not use the pinned NODE_IMAGE`);
  assert.match(readFileSync(path.join(repoRoot, 'templates', 'ganglion-ts', 'Dockerfile'), 'utf8'), /^ARG NODE_VERSION=24$/m);
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.is(pkg.engines.node, '>=20');
});

test('the shipped stage: git installed, non-root numeric user, the bundle as ENTRYPOINT, writes only under the Job\'s emptyDir', () => {
  const installs = runCommands(ship).find((c) => c.startsWith('apt-get install')) ?? '';
  for (const tool of ['git', 'openssh-client', 'ca-certificates']) assert.match(installs, new RegExp(`\\b${tool}\\b`), `no ${tool}`);
  assert.match(ship.lines.filter((l) => l.startsWith('USER')).pop() ?? '', /^USER [1-9]\d*:[1-9]\d*$/);
  assert.is(ship.lines[ship.lines.length - 1], 'ENTRYPOINT ["node", "/app/ganglion-worker.mjs"]');
  assert.ok(ship.lines.includes('COPY --from=build /src/dist-bundle/ ./'));
  // HOME (git), TMPDIR (checkouts, coverage reports) and npm's cache: all on the scratch volume the Job mounts
  for (const key of ['HOME', 'TMPDIR', 'npm_config_cache']) assert.ok(env[key]?.startsWith(WORKER_SCRATCH.mountPath), `${key}=${env[key]} is outside ${WORKER_SCRATCH.mountPath}`);
  assert.not.ok('NODE_ENV' in env, 'NODE_ENV=production would make npm ci skip the devDependencies tests need');
});

test('the bundle the build stage makes runs a repository\'s tests on its own, as the ENTRYPOINT does, and leaves its result line last', async () => {
  const ctx = mkdtempSync(path.join(os.tmpdir(), 'g-worker-image-'));
  try {
    // the build context the Dockerfile sees: what its build stage COPYs, at the paths it COPYs them to
    for (const l of build.lines.filter((x) => /^COPY (?!--from)/.test(x))) {
      const parts = l.split(/\s+/).slice(1);
      const dest = parts.pop() as string;
      for (const src of parts) cpSync(path.join(repoRoot, src), path.join(ctx, dest.endsWith('/') ? path.basename(src) : dest), { recursive: true, filter: (p) => !p.includes('node_modules') });
    }
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(ctx, 'node_modules'));
    for (const cmd of runCommands(build).filter((c) => !c.startsWith('npm ci'))) {
      const [bin, ...rest] = cmd.replace(/^npx tsc/, `node ${path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')}`).split(/\s+/);
      const r = bin === 'test' ? { code: existsSync(path.join(ctx, rest[1] ?? '')) ? 0 : 1, out: `${rest[1]} missing` } : await run(process.execPath, rest, ctx);
      assert.is(r.code, 0, `${cmd}: ${r.out}`);
    }
    // the shipped /app: the bundle and its chunks only; no node_modules, no dist/
    const app = path.join(ctx, 'app');
    cpSync(path.join(ctx, 'dist-bundle'), app, { recursive: true });
    assert.ok(readdirSync(app).every((f) => /^ganglion-worker(\.[A-Z0-9]+\.chunk)?\.mjs$/.test(f)), readdirSync(app).join(', '));
    const scratch = path.join(ctx, 'tmp');
    mkdirSync(scratch);
    const repo = createDemoRepo(path.join(ctx, 'repos', 'placemyparents'));
    const [node, entry] = JSON.parse(/^ENTRYPOINT (.*)$/.exec(ship.lines.at(-1) ?? '')?.[1] ?? '[]') as string[];
    assert.is(node, 'node');
    const before = readdirSync(app).sort();
    const r = await run(process.execPath, [path.join(app, path.basename(entry ?? '')), 'run-tests', '--repo', repo, '--branch', 'staging'], app, { PATH: process.env.PATH, HOME: scratch, TMPDIR: scratch, npm_config_cache: path.join(scratch, '.npm') });
    assert.is(r.code, 3, `tests that failed: the worker exits 3 (its verdict, as the kubelet records it)\n${r.out}`);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    const result = findResultLine(last);
    assert.is(result?.type, 'dev.ganglion.step.completed', last);
    assert.match(result?.type === 'dev.ganglion.step.completed' ? result.data.summary : '', `Tests on staging FAILED: 4 passed, 1 failed, 0 skipped. Failed: "${STAGING_FAILURE.name}"`);
    // nothing written beside the bundle (read-only in the image), and the checkout cleaned off the scratch volume
    assert.equal(readdirSync(app).sort(), before);
    assert.equal(readdirSync(scratch).filter((f) => f.startsWith('ganglion-checkout-')), []);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
});

test('both Dockerfiles pass dockerfile-utils\' linter, which does flag a broken one', () => {
  for (const file of [dockerfilePath, path.join(repoRoot, 'templates', 'ganglion-ts', 'Dockerfile')]) {
    const problems = validate(readFileSync(file, 'utf8')).map((d) => `${path.relative(repoRoot, file)}:${d.range.start.line + 1}: ${d.message}`);
    assert.equal(problems, []);
  }
  assert.equal(validate('FROM node:24\nEXPOSE http\nUSER\n').map((d) => d.range.start.line + 1), [2, 3]);
});

function run(cmd: string, argv: string[], cwd: string, env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): Promise<{ code: number; out: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => { out += String(d); stdout += String(d); });
    p.stderr.on('data', (d: Buffer) => { out += String(d); });
    p.on('exit', (code) => resolve({ code: code ?? 1, out, stdout }));
  });
}

test.run();
