/** The code-review worker: the newest commit of a branch, its diff checked by rules (and a model when OLLAMA_HOST is set), a verdict. */
import { rmSync } from 'node:fs';
import { GanglionError } from '../kernel/errors.js';
import { cloneRepo, git } from './git-repo.js';
import { parseDiff } from './diff-files.js';
import { modelReview } from './model-review.js';
import { reviewDiff, verdictOf, type Finding } from './review-checks.js';
import { runCommand } from './bounded-command.js';
import type { Role } from './worker-io.js';

/** Bounds that keep a huge or binary commit from taking the worker down. */
export const REVIEW_LIMITS = { diffBytes: 1024 * 1024, files: 300, linesPerFile: 5_000, gitMs: 60_000 };
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export function reviewSummary(commit: { sha: string; subject: string }, verdict: string, findings: Finding[]): string {
  const head = `${verdict === 'approve' ? 'Review: approve' : 'Review: request-changes'} — commit ${commit.sha.slice(0, 7)} "${commit.subject.slice(0, 80)}"`;
  if (!findings.length) return `${head} — no findings.`;
  const counts = ['high', 'medium', 'low', 'info'].map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`).join(', ');
  const top = findings.slice(0, 3).map((f) => `[${f.severity}] ${f.file}${f.line ? `:${f.line}` : ''} ${f.message}`);
  return `${head} — ${findings.length} finding(s) (${counts}): ${top.join('; ')}${findings.length > 3 ? ' …' : ''}`;
}

export const codeReviewRole: Role = async (args, io) => {
  if (!args.repo) throw new GanglionError(400, 'no_repository', 'no repository given to the code-review worker (--repo)');
  const started = Date.now();
  const checkout = await cloneRepo({ url: args.repo, branch: args.branch, depth: 2 });
  try {
    const dir = checkout.dir;
    const [sha, author, subject] = (await git(['log', '-1', '--format=%H%x00%an <%ae>%x00%s', 'HEAD'], dir)).trim().split('\0');
    const parents = (await git(['rev-list', '--parents', '-n', '1', 'HEAD'], dir)).trim().split(' ').slice(1);
    io.progress(`reviewing ${(sha ?? '').slice(0, 12)} "${subject ?? ''}" on ${checkout.branch}`);
    const base = parents[0] ?? EMPTY_TREE;
    const numstat = (await git(['diff', '--numstat', '--no-renames', base, 'HEAD'], dir, REVIEW_LIMITS.gitMs)).trim().split('\n').filter(Boolean);
    const changed = numstat.map((l) => l.split('\t')[2]!).filter(Boolean);
    const sizes = new Map<string, number>();
    for (const line of (await git(['ls-tree', '-l', 'HEAD', '--', ...changed.slice(0, REVIEW_LIMITS.files)], dir)).split('\n')) {
      const m = /^\d+ blob [0-9a-f]+\s+(\d+)\t(.*)$/.exec(line);
      if (m) sizes.set(m[2]!, Number(m[1]));
    }
    // the diff text is read through a bounded buffer: a huge commit is reviewed up to the limit and says so
    const diff = await runCommand('git', ['diff', '--no-color', '--no-ext-diff', '-U0', '--find-renames', base, 'HEAD'], { cwd: dir, timeoutMs: REVIEW_LIMITS.gitMs, maxBytes: REVIEW_LIMITS.diffBytes });
    if (diff.code !== 0 && !diff.timedOut) throw new GanglionError(502, 'git_failed', `git diff failed: ${diff.output.slice(-300)}`);
    const text = diff.truncated ? diff.stdout.slice(diff.stdout.indexOf('\ndiff --git ') + 1) : diff.stdout;
    const parsed = parseDiff(text, { maxFiles: REVIEW_LIMITS.files, maxLinesPerFile: REVIEW_LIMITS.linesPerFile });
    const binary = new Set(numstat.filter((l) => l.startsWith('-\t-\t')).map((l) => l.split('\t')[2]!));
    const findings = reviewDiff(parsed.files, { sizes, binary });
    const notes: string[] = [];
    if (diff.truncated || diff.timedOut) notes.push(`diff larger than ${REVIEW_LIMITS.diffBytes} bytes: only part of it was reviewed`);
    if (parsed.skippedFiles || changed.length > REVIEW_LIMITS.files) notes.push(`${changed.length} files changed: only the first ${REVIEW_LIMITS.files} were reviewed`);
    const ollamaHost = io.config.ollamaHost;
    if (ollamaHost && !diff.truncated) {
      const model = io.config.models[io.config.models.length - 1] ?? 'llama3.1:8b';
      io.progress(`asking ${model} at ${ollamaHost} for a review`);
      const m = await modelReview({ host: ollamaHost, model, subject: subject ?? '', diff: text, timeoutMs: Math.min(60_000, args.timeoutMs / 2) });
      findings.push(...m.findings);
      notes.push(m.note);
    }
    const verdict = verdictOf(findings);
    const commit = { sha: sha ?? checkout.commit, author: author ?? '', subject: subject ?? '', parent: parents[0] ?? null };
    return {
      summary: reviewSummary(commit, verdict, findings),
      data: {
        repo: args.repo, branch: checkout.branch, commit, verdict, findings, notes,
        files: { changed: changed.length, reviewed: parsed.files.length, binary: [...binary] },
        diffBytes: Buffer.byteLength(text), truncated: diff.truncated || diff.timedOut, durationMs: Date.now() - started,
      },
    };
  } finally {
    rmSync(checkout.dir, { recursive: true, force: true });
  }
};
