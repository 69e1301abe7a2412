/** run-tests: a worker Job checks out the branch and runs the tests; counts and failures come back as the step's result. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { runRepoWorker } from '../../function-kit/worker-step.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  return runRepoWorker(ctx, 'run-tests', inp);
}
