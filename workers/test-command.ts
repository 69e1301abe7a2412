/** How a repository runs its tests: its npm test script (or node --test), an install only when it has dependencies, JUnit files it leaves. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import { runCommand, type CommandResult } from './bounded-command.js';

interface PackageJson { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }

export function readPackage(dir: string): PackageJson | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (cause) {
    throw new GanglionError(422, 'bad_package_json', `package.json of the repository is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

const NPM_PLACEHOLDER = /no test specified/;

/** The shell command that runs the tests. */
export function testScript(dir: string): string {
  const script = readPackage(dir)?.scripts?.test;
  if (script && !NPM_PLACEHOLDER.test(script)) return script;
  if (['test', 'tests', '__tests__'].some((d) => existsSync(path.join(dir, d)))) return 'node --test';
  throw new GanglionError(422, 'no_test_command', 'the repository has no test command: add "scripts.test" to package.json (e.g. "node --test") or a test/ folder');
}

export function hasDependencies(dir: string): boolean {
  const pkg = readPackage(dir);
  return Object.keys({ ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) }).length > 0;
}

/**
 * What of the worker's environment the repository's code may see: where things are (PATH, HOME, TMPDIR), the
 * locale and time zone, npm's and git's own settings, and the proxies npm needs to fetch packages. Nothing else —
 * not OLLAMA_HOST, KUBECONFIG, GANGLION_*, nor anything a later setting adds — reaches code under test.
 */
const PASSED_ON = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TZ|LANG|LC_[A-Z]+|TERM|npm_config_[a-z_]+|NPM_CONFIG_[A-Z_]+|GIT_TERMINAL_PROMPT|(HTTPS?|NO)_PROXY|(https?|no)_proxy)$/;

/** The environment a test run gets: the worker's, scrubbed to PASSED_ON; the repo's bin folder first, no colours, CI set. */
export function testEnv(dir: string, base: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  const kept = Object.fromEntries(Object.entries(base).filter(([name, value]) => value !== undefined && PASSED_ON.test(name)));
  return { ...kept, PATH: `${path.join(dir, 'node_modules', '.bin')}${path.delimiter}${base.PATH ?? ''}`, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };
}

/** npm ci (lock file) or npm install, only when package.json lists dependencies; offline-friendly otherwise. */
export async function installDependencies(dir: string, timeoutMs: number, onOutput?: (c: string) => void): Promise<CommandResult | undefined> {
  if (!hasDependencies(dir)) return undefined;
  const args = existsSync(path.join(dir, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  const res = await runCommand('npm', args, { cwd: dir, timeoutMs, env: testEnv(dir), onOutput });
  if (res.code !== 0) throw new GanglionError(422, 'install_failed', `npm ${args[0]} failed (exit ${res.code}${res.timedOut ? ', timed out' : ''}): ${res.output.trim().split('\n').slice(-5).join(' | ')}`);
  return res;
}

/** JUnit XML files the run left behind (junit*.xml, test-results/, reports/), newest first. */
export function junitFiles(dir: string, since: number): string[] {
  const found: string[] = [];
  const look = (d: string, depth: number) => {
    if (depth > 2 || !existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) look(p, depth + 1);
      else if (/\.xml$/.test(e.name) && (/junit|test-results|reports/i.test(p.slice(dir.length))) && statSync(p).mtimeMs >= since - 1000) found.push(p);
    }
  };
  look(dir, 0);
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}
