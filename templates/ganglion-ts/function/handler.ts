/** hello: answers with a greeting. The shared runtime owns HTTP, CloudEvents, validation and errors; this file only handles. */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<{ greeting: string; at: string }>> {
  const greeting = `hello, ${inp.name}`;
  ctx.log.debug({ name: inp.name }, 'greeting');
  return { summary: greeting, data: { greeting, at: ctx.now().toISOString() } };
}
