/** train-model: a worker Job checks out the repository and runs its training script; the new model's image comes back. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { runRepoWorker } from '../../function-kit/worker-step.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  return runRepoWorker(ctx, 'train', inp);
}
