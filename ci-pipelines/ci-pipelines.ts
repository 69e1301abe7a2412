/**
 * Which pushes deploy what: pipelines set up by "when main updates, test and deploy", kept as PushPipeline objects
 * (ganglion.dev) in the state namespace, so the automate function that sets one up and every github-webhook replica
 * that acts on a push read the same list.
 */
import type { GanglionObject, StateClient } from '../cluster-state/ganglion-objects.js';
import { hashedName } from '../cluster-state/object-name.js';
import { GanglionError } from '../kernel/errors.js';

export interface CiPipeline {
  branch: string;
  /** The Deployment a push deploys (its ganglion.dev/repo names the repository). */
  name: string;
  namespace: string;
  createdAt: string;
}

type PipelineKey = Pick<CiPipeline, 'branch' | 'name' | 'namespace'>;
type PushPipeline = GanglionObject<PipelineKey>;

/**
 * The object's name: namespace, Deployment and branch made DNS-1123-safe, plus a short hash of the three as given, so
 * branches that clean up alike ("feature/x", "Feature_x") never share one object.
 */
export function pipelineName(p: PipelineKey): string {
  return hashedName(`${p.namespace}-${p.name}-${p.branch}`, `${p.branch}\0${p.namespace}\0${p.name}`);
}

const toPipeline = (o: PushPipeline): CiPipeline => ({ branch: o.spec.branch, name: o.spec.name, namespace: o.spec.namespace, createdAt: o.metadata.creationTimestamp ?? '' });

export async function readPipelines(state: StateClient, signal?: AbortSignal): Promise<CiPipeline[]> {
  return (await state.listAll<PushPipeline>('pushpipelines', {}, signal)).map(toPipeline);
}

/** The pipeline of this branch and Deployment, when one is set up. */
export async function findPipeline(state: StateClient, p: PipelineKey, signal?: AbortSignal): Promise<CiPipeline | undefined> {
  const o = await state.get<PushPipeline>('pushpipelines', pipelineName(p), signal);
  return o ? toPipeline(o) : undefined;
}

/**
 * Sets up the pipeline of this branch and Deployment; returns the one already there, if any. The name is derived
 * from all it holds, so a second save (or two at once) finds the same object and leaves it as it is.
 */
export async function savePipeline(state: StateClient, p: PipelineKey, signal?: AbortSignal): Promise<CiPipeline | undefined> {
  try {
    await state.create<PushPipeline>('pushpipelines', { metadata: { name: pipelineName(p), labels: { 'app.kubernetes.io/part-of': 'ganglion' } }, spec: { branch: p.branch, name: p.name, namespace: p.namespace } }, signal);
    return undefined;
  } catch (err) {
    if (!(err instanceof GanglionError) || err.code !== 'already_exists') throw err;
    return findPipeline(state, p, signal);
  }
}
