/** Fake run-tests: passes, unless $GANGLION_HOME/fail-tests exists (then one test fails by name). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../../../function-kit/function-module.js';
import { recordCall } from '../fake-step.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  recordCall(ctx, 'run-tests', inp);
  if (existsSync(path.join(ctx.config.home, 'fail-tests'))) return { summary: '3 passed, 1 failed: listing › rejects an empty title', data: { passed: 3, failed: 1, skipped: 0 } };
  return { summary: '4 passed, 0 failed', data: { passed: 4, failed: 0, skipped: 0 } };
}
