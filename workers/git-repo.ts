/** Clones the repository a worker reads with real git: branch checks first, clear errors for unreachable repos and missing branches. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GanglionError } from '../kernel/errors.js';
import { runCommand } from './bounded-command.js';

export interface CloneOptions {
  url: string;
  /** branch to check out; default: the remote's default branch */
  branch?: string;
  /** commits of history to fetch (review needs the parent); 0 = all */
  depth?: number;
  timeoutMs?: number;
}
export interface Checkout { dir: string; branch: string; branches: string[]; commit: string }

/** A local path or file:// URL: the function passes one only when the operator named it (annotation, GANGLION_REPO). */
export const isLocalRepo = (url: string): boolean => /^file:\/\//i.test(url) || url.startsWith('/');

/**
 * No prompts for credentials and no pager: a worker has nobody to answer. Transports are limited to https and ssh
 * (plus file for a local repository), for git and anything it runs (submodules, npm's git dependencies): no ext::.
 */
function gitEnv(url?: string): Record<string, string | undefined> {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', GIT_ALLOW_PROTOCOL: url && isLocalRepo(url) ? 'https:ssh:file' : 'https:ssh' };
}

export async function git(args: string[], cwd: string, timeoutMs = 60_000, url?: string): Promise<string> {
  const res = await runCommand('git', args, { cwd, env: gitEnv(url), timeoutMs, maxBytes: 8 * 1024 * 1024 });
  if (res.timedOut) throw new GanglionError(504, 'git_timeout', `git ${args[0]} took longer than ${timeoutMs} ms and was stopped`);
  if (res.code !== 0) throw new GanglionError(502, 'git_failed', `git ${args.join(' ')} failed (exit ${res.code}): ${res.output.trim().split('\n').slice(-3).join(' ')}`);
  return res.stdout;
}

/** Branches of the remote and its default branch (`git ls-remote --symref`), or a clear "unreachable". */
export async function remoteBranches(url: string, timeoutMs = 30_000): Promise<{ branches: string[]; defaultBranch: string | undefined }> {
  // `--`: a URL is never read as an option (--upload-pack=…)
  const res = await runCommand('git', ['ls-remote', '--symref', '--', url, 'HEAD', 'refs/heads/*'], { cwd: os.tmpdir(), env: gitEnv(url), timeoutMs });
  if (res.code !== 0 || res.timedOut) {
    const lines = res.output.trim().split('\n').filter(Boolean);
    const fatal = lines.filter((l) => /^(fatal|error):/.test(l));
    const why = res.timedOut ? `no answer within ${timeoutMs} ms` : (fatal.length ? fatal : lines.slice(-2)).join(' ');
    throw new GanglionError(502, 'repo_unreachable', `cannot read repository ${url}: ${why}; check the URL or path (GANGLION_REPO, the ganglion.dev/repo annotation or the repo input) and that the worker can reach it`);
  }
  const branches: string[] = [];
  let defaultBranch: string | undefined;
  for (const line of res.stdout.split('\n')) {
    const sym = /^ref: refs\/heads\/(\S+)\s+HEAD$/.exec(line);
    if (sym) defaultBranch = sym[1];
    const head = /^[0-9a-f]{40}\s+refs\/heads\/(\S+)$/.exec(line);
    if (head) branches.push(head[1]!);
  }
  return { branches: branches.sort(), defaultBranch };
}

export async function cloneRepo({ url, branch, depth = 0, timeoutMs = 120_000 }: CloneOptions): Promise<Checkout> {
  const { branches, defaultBranch } = await remoteBranches(url);
  if (!branches.length) throw new GanglionError(422, 'repo_empty', `repository ${url} has no branches (nothing committed yet)`);
  const wanted = branch ?? defaultBranch ?? branches[0]!;
  if (!branches.includes(wanted)) {
    throw new GanglionError(404, 'branch_not_found', `branch "${wanted}" does not exist in ${url}; branches: ${branches.join(', ')}`, { details: { branches } });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ganglion-checkout-'));
  // --depth needs a transport; a plain path clones with hard links, which is already cheap
  const shallow = depth > 0 && /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? ['--depth', String(depth)] : [];
  await git(['clone', '--quiet', '--no-tags', '--single-branch', '--branch', wanted, ...shallow, '--', url, dir], os.tmpdir(), timeoutMs, url);
  const commit = (await git(['rev-parse', 'HEAD'], dir, undefined, url)).trim();
  return { dir, branch: wanted, branches, commit };
}
