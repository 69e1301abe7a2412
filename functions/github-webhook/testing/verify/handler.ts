/** Fake verify: records the call and reports the Deployment healthy. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../../../function-kit/function-module.js';
import { recordCall } from '../fake-step.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  recordCall(ctx, 'verify', inp);
  return { summary: `${inp.name}: all pods healthy, smoke tests passed (4/4)`, data: { ok: true } };
}
