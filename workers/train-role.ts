/**
 * The train worker: clone the app's repository, install when needed, run its training script (package.json
 * `scripts.train`), and read from its output the model version it made and the image that serves it
 * (`image: <ref>` and `model version: <v>` lines). A script that names no image fails: nothing could be deployed.
 */
import { rmSync } from 'node:fs';
import { GanglionError } from '../kernel/errors.js';
import { cloneRepo } from './git-repo.js';
import { runCommand } from './bounded-command.js';
import { installDependencies, readPackage, testEnv } from './test-command.js';
import type { Role } from './worker-io.js';

const TAIL_LINES = 20;

/** The last `image: …` and `model version: …` lines of the training output. */
export function trainingOutcome(output: string): { image?: string; modelVersion?: string } {
  const last = (re: RegExp) => [...output.matchAll(re)].at(-1)?.[1];
  const image = last(/^image:\s*(\S+)\s*$/gm);
  const modelVersion = last(/^model version:\s*(\S+)\s*$/gm);
  return { ...(image ? { image } : {}), ...(modelVersion ? { modelVersion } : {}) };
}

export const trainRole: Role = async (args, io) => {
  if (!args.repo) throw new GanglionError(400, 'no_repository', 'no repository given to the train worker (--repo)');
  const started = Date.now();
  const checkout = await cloneRepo({ url: args.repo, branch: args.branch });
  try {
    io.progress(`checked out ${checkout.branch} at ${checkout.commit.slice(0, 12)}`);
    const script = readPackage(checkout.dir)?.scripts?.train;
    if (!script) throw new GanglionError(422, 'no_train_script', `the repository has no training script: add "scripts.train" to package.json (it should print "image: <the image that serves the new model>")`);
    await installDependencies(checkout.dir, Math.min(args.timeoutMs, 300_000), io.passthrough);
    io.progress(`running: ${script}`);
    const res = await runCommand('sh', ['-c', script], { cwd: checkout.dir, env: testEnv(checkout.dir), timeoutMs: Math.max(1000, args.timeoutMs - (Date.now() - started)), onOutput: io.passthrough });
    const tail = res.output.split('\n').slice(-TAIL_LINES).join('\n').trim();
    if (res.timedOut || res.code !== 0) throw new GanglionError(422, 'training_failed', `the training script "${script}" ${res.timedOut ? `did not finish within ${args.timeoutMs} ms` : `exited ${res.code}`}; last output:\n${tail}`);
    const outcome = trainingOutcome(res.output);
    if (!outcome.image) throw new GanglionError(422, 'no_model_image', `the training script "${script}" finished but printed no "image: <ref>" line, so there is nothing to deploy; last output:\n${tail}`);
    const first = res.output.split('\n').find((l) => l.trim() && !/^(>|image:|model version:)/.test(l.trim()))?.trim();
    return {
      summary: `Trained model ${outcome.modelVersion ?? '(version not printed)'} from ${checkout.branch} at ${checkout.commit.slice(0, 7)}${first ? ` (${first})` : ''}; image ${outcome.image} serves it.`,
      data: { repo: args.repo, branch: checkout.branch, commit: checkout.commit, command: script, ...outcome, durationMs: Date.now() - started, outputTail: tail },
    };
  } finally {
    rmSync(checkout.dir, { recursive: true, force: true });
  }
};
