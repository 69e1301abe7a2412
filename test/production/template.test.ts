import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadStack } from '../../stack/stack-file.js';
import { dockerfileStages, runCommands, type Stage } from '../../testing/dockerfile-stages.js';
import { repoRoot } from '../../testing/k8s-files.js';
import { bearer, writeTestTokens } from '../../testing/auth.js';

const dir = path.join(repoRoot, 'templates', 'ganglion-ts');
const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
const template = parse(readFileSync(path.join(dir, 'template.yml'), 'utf8')) as { language: string; fprocess: string; handler_folder?: string };
const stack = loadStack(path.join(repoRoot, 'stack.yml'), {});

const { args, stages: st } = dockerfileStages(dockerfile);
const ship = st[st.length - 1] as Stage;

test('every FROM names its platform through BuildKit\'s platform args: build on BUILDPLATFORM, everything shipped on TARGETPLATFORM', () => {
  assert.ok(st.length >= 3);
  for (const s of st) assert.match(s.platform, /^\$\{(TARGETPLATFORM|BUILDPLATFORM)\}$/, `FROM ${s.from} has no --platform=\${TARGETPLATFORM|BUILDPLATFORM}`);
  assert.is(st.find((s) => s.name === 'build')?.platform, '${BUILDPLATFORM}');
  assert.is(ship.platform, '${TARGETPLATFORM}');
  // a RUN in the shipped stage would need emulation on the build machine; only COPY/ENV/USER there
  assert.equal(ship.lines.filter((l) => /^RUN\b/i.test(l)), []);
});

test('of-watchdog comes from its official image at a pinned version; base images are official multi-arch ones', () => {
  const wd = st.find((s) => s.from.startsWith('ghcr.io/openfaas/of-watchdog:'));
  assert.ok(wd, 'no of-watchdog stage');
  const pinned = args.find((a) => /^ARG WATCHDOG_VERSION=\d+\.\d+\.\d+$/.test(a));
  assert.ok(pinned || /:\d+\.\d+\.\d+$/.test(wd?.from ?? ''), 'of-watchdog is not pinned to a version');
  assert.ok(ship.lines.some((l) => new RegExp(`^COPY --from=${wd?.name} /fwatchdog `).test(l)));
  for (const s of st) assert.ok(/^(ghcr\.io\/openfaas\/of-watchdog|node):/.test(s.from), `${s.from} is not a known multi-arch image`);
});

test('the shipped stage runs of-watchdog in http mode in front of the shared runtime entry, non-root, with a HEALTHCHECK', () => {
  const env = ship.lines.filter((l) => l.startsWith('ENV')).join(' ');
  assert.match(env, /mode=http/);
  assert.match(env, /upstream_url=http:\/\/127\.0\.0\.1:3000/);
  assert.match(env, /PORT=3000/);
  // the production form: the function's own bundle, built in the build stage and copied into the shipped one
  // no V8 flags: node compiles its built-in modules without their embedded code cache when any V8 flag is set
  assert.match(env, /fprocess="node dist-bundle\/\$\{FUNCTION\}\.mjs"/);
  assert.ok(env.includes(`fprocess="${template.fprocess}"`), 'template.yml fprocess and the Dockerfile differ');
  assert.ok(ship.lines.some((l) => /^COPY --from=build \S* ?\/src\/dist-bundle \.\/dist-bundle$/.test(l)), 'the shipped stage does not copy dist-bundle/');
  const user = ship.lines.filter((l) => l.startsWith('USER')).pop();
  assert.ok(user && !/^USER\s+(root|0)(:|$)/.test(user), `runs as ${user ?? 'root'}`);
  assert.match(user ?? '', /^USER \d+:\d+$/, 'numeric user so runAsNonRoot can check it');
  assert.ok(ship.lines.some((l) => /^HEALTHCHECK .*\/_\/health/.test(l)));
  assert.match(ship.lines[ship.lines.length - 1] ?? '', /^CMD \["fwatchdog"\]$/);
  // the gateway's process mode starts host/main.ts; both it and the bundle serve through host/serve-function.ts
  assert.ok(existsSync(path.join(repoRoot, 'host', 'main.ts')));
  assert.match(readFileSync(path.join(repoRoot, 'host', 'serve-function.ts'), 'utf8'), /GANGLION_BIND/);
});

test('nothing amd64-only: no architecture in any name, no binary downloaded, production deps carry no native addons', () => {
  const instructions = dockerfile.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
  assert.not.match(instructions, /amd64|x86_64|x64|aarch64|arm64|armv7/i);
  assert.not.match(instructions, /^(RUN\b.*\b(curl|wget)\b|ADD)\s.*https?:\/\//m);
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
  const native: string[] = [];
  const hasAddon = (p: string, depth = 0): boolean => {
    if (depth > 4 || !existsSync(p)) return false;
    return readdirSync(p).some((f) => f.endsWith('.node') || f === 'binding.gyp' || (f !== 'node_modules' && statSync(path.join(p, f)).isDirectory() && hasAddon(path.join(p, f), depth + 1)));
  };
  for (const [p, info] of Object.entries(lock.packages)) if (p && !info.dev && hasAddon(path.join(repoRoot, p))) native.push(p);
  assert.equal(native, []);
});

test('the build context is what stack.yml copies: every folder the Dockerfile COPYs is in configuration.copy and exists', () => {
  const copy = ((stack.configuration as { copy?: string[] } | undefined)?.copy ?? []).map((c) => c.replace(/^\.\//, ''));
  const build = st.find((s) => s.name === 'build') as Stage;
  const sources = build.lines.filter((l) => /^COPY (?!--from)/.test(l)).flatMap((l) => l.split(/\s+/).slice(1, -1));
  for (const src of sources) {
    if (existsSync(path.join(dir, src)) || src === 'function') continue;
    assert.ok(copy.includes(src), `Dockerfile copies ${src} but stack.yml configuration.copy does not list it`);
    assert.ok(existsSync(path.join(repoRoot, src)), `${src} is not in the repository`);
  }
  for (const [name, fn] of Object.entries(stack.functions)) {
    assert.is(fn.lang, 'ganglion-ts', name);
    assert.is(fn.build_args?.FUNCTION, name, `${name}: build_args.FUNCTION names the function folder`);
  }
});

test('stack.yml: production fields for every function (timeouts, Ollama, arm64, Pi-sized resources, ≤ 5 replicas, own ServiceAccount)', () => {
  for (const [name, fn] of Object.entries(stack.functions)) {
    const env = fn.environment ?? {};
    assert.ok('OLLAMA_HOST' in env, `${name}: OLLAMA_HOST`);
    for (const t of ['exec_timeout', 'read_timeout', 'write_timeout']) assert.match(env[t] ?? '', /^\d+s$/, `${name}: ${t}`);
    assert.ok(parseInt(env.read_timeout ?? '0', 10) > parseInt(env.exec_timeout ?? '0', 10), `${name}: read_timeout must exceed exec_timeout`);
    assert.equal(fn.constraints, ['kubernetes.io/arch=arm64'], name);
    assert.ok(Number(fn.labels?.['com.openfaas.scale.max']) <= 5 && Number(fn.labels?.['com.openfaas.scale.min']) >= 1, `${name}: CE allows 1..5 replicas`);
    assert.match(fn.limits?.memory ?? '', /^\d+Mi$/, name);
    assert.ok(parseInt(fn.limits?.memory ?? '0', 10) <= 512, `${name}: a Pi cannot spare ${fn.limits?.memory}`);
    assert.ok(fn.requests?.memory && fn.requests.cpu, `${name}: requests`);
    assert.is(fn.annotations?.['com.openfaas.serviceaccount'], `ganglion-${name}`);
  }
  assert.equal(stack.functions.notify?.secrets, ['slack-webhook-url', 'ganglion-api-tokens', 'ganglion-step-key']);
  assert.equal(stack.functions['github-webhook']?.secrets, ['github-webhook-secret', 'ganglion-api-tokens', 'ganglion-step-key']);
  // every function checks its callers: the API tokens and the step key are on each one
  for (const [name, fn] of Object.entries(stack.functions)) assert.ok(['ganglion-api-tokens', 'ganglion-step-key'].every((s) => fn.secrets?.includes(s)), name);
  const raw = parse(readFileSync(path.join(repoRoot, 'stack.yml'), 'utf8')) as { functions: Record<string, { environment_file?: string[] }> };
  const settings = ['kernel/config.ts', 'functions/security-audit/handler.ts'].map((f) => readFileSync(path.join(repoRoot, f), 'utf8')).join('\n');
  for (const [name, fn] of Object.entries(raw.functions)) {
    for (const f of fn.environment_file ?? []) {
      assert.ok(existsSync(path.join(repoRoot, f)), `${name}: ${f} missing`);
      const cluster = parse(readFileSync(path.join(repoRoot, f), 'utf8')) as { environment: Record<string, string> };
      for (const key of Object.keys(cluster.environment)) assert.ok(new RegExp(`env\\.${key}\\b`).test(settings), `${f} sets ${key}, which no setting reads`);
    }
  }
});

test('`faas-cli new --lang ganglion-ts` output builds in the template\'s build context, bundles as the Dockerfile does, and the bundle answers on its own', async () => {
  // Assemble what faas-cli build puts in build/<fn>/: the template, the handler folder as function/, configuration.copy.
  const ctx = mkdtempSync(path.join(os.tmpdir(), 'g-build-'));
  try {
    cpSync(dir, ctx, { recursive: true });
    for (const c of (stack.configuration as { copy: string[] }).copy) cpSync(path.join(repoRoot, c), path.join(ctx, c), { recursive: true, filter: (p) => !p.includes('node_modules') });
    // the Dockerfile's `COPY function ./functions/${FUNCTION}` with FUNCTION=hello
    cpSync(path.join(dir, 'function'), path.join(ctx, 'functions', 'hello'), { recursive: true });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(ctx, 'node_modules'));
    const tsc = await run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], ctx);
    assert.is(tsc.code, 0, tsc.out);
    assert.ok(existsSync(path.join(ctx, 'dist', 'functions', 'hello', 'handler.js')));
    assert.not.ok(existsSync(path.join(ctx, 'dist', 'kube-sim')), 'kube-sim is not part of a function image');
    // the build stage's bundling step, word for word, with FUNCTION=hello
    const build = st.find((s) => s.name === 'build') as Stage;
    const step = runCommands(build).find((c) => /^node bundle\.mjs\b/.test(c));
    assert.is(step, 'node bundle.mjs ${FUNCTION}', 'the build stage does not bundle the function');
    const bundled = await run(process.execPath, (step ?? '').replaceAll('${FUNCTION}', 'hello').split(/\s+/).slice(1), ctx);
    assert.is(bundled.code, 0, bundled.out);
    assert.ok(existsSync(path.join(ctx, 'dist-bundle', 'hello.mjs')));
    assert.not.ok(readdirSync(path.join(ctx, 'dist-bundle')).some((f) => f.endsWith('.map')), 'no source maps in the image');
    // the bundle carries its dependencies: it starts with no node_modules at all
    rmSync(path.join(ctx, 'node_modules'));
    // its secrets folder, as OpenFaaS mounts it: the API tokens it checks callers against
    const { viewer } = writeTestTokens(path.join(ctx, 'secrets'));
    const child = spawn(process.execPath, template.fprocess.replaceAll('${FUNCTION}', 'hello').split(/\s+/).slice(1), { cwd: ctx, env: { PATH: process.env.PATH, PORT: '0', GANGLION_BIND: '127.0.0.1', GANGLION_HOME: path.join(ctx, 'home'), GANGLION_SECRETS_DIR: path.join(ctx, 'secrets') }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => { buf += String(d); const m = /listening (\d+)/.exec(buf); if (m) resolve(Number(m[1])); });
        child.on('exit', (code) => reject(new Error(`runtime exited ${code}`)));
      });
      assert.is((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401, 'a new function refuses a caller without a token too');
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(viewer) }, body: JSON.stringify({ name: 'Ada' }) });
      assert.is(res.status, 200);
      assert.is(res.headers.get('ce-type'), 'dev.ganglion.step.completed');
      assert.is(((await res.json()) as { summary: string }).summary, 'hello, Ada');
      const text = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { accept: 'text/plain', ...bearer(viewer) }, body: 'Pi' });
      assert.is((await text.text()).trim(), 'hello, Pi');
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
});

function run(cmd: string, argv: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += String(d); });
    p.stderr.on('data', (d: Buffer) => { out += String(d); });
    p.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

test.run();
