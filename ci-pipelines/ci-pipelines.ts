/** Which pushes deploy what: pipelines set up by "when main updates, test and deploy" ($GANGLION_HOME/ci-pipelines.json). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';

export interface CiPipeline {
  branch: string;
  /** The Deployment a push deploys (its ganglion.dev/repo names the repository). */
  name: string;
  namespace: string;
  createdAt: string;
}

const fileOf = (home: string) => path.join(home, 'ci-pipelines.json');

export function readPipelines(home: string): CiPipeline[] {
  try {
    return (JSON.parse(readFileSync(fileOf(home), 'utf8')) as { pipelines?: CiPipeline[] }).pipelines ?? [];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Adds or replaces the pipeline of this branch and Deployment; returns the one it replaced. */
export function savePipeline(home: string, p: CiPipeline): CiPipeline | undefined {
  const all = readPipelines(home);
  const same = (x: CiPipeline) => x.branch === p.branch && x.name === p.name && x.namespace === p.namespace;
  const before = all.find(same);
  const next = [...all.filter((x) => !same(x)), { ...p, createdAt: before?.createdAt ?? p.createdAt }];
  writeFileAtomic(fileOf(home), JSON.stringify({ pipelines: next }, null, 2));
  return before;
}
