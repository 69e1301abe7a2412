/** code-review: a worker Job reviews the newest commit; its findings and verdict come back as the step's result. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { runRepoWorker } from '../../function-kit/worker-step.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  return runRepoWorker(ctx, 'code-review', inp);
}
