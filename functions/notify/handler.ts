/** notify: delivers one message (alerts and reports from monitors, or a person's own) and says where it arrived. */
import type { z } from 'zod';
import { GanglionError } from '../../kernel/errors.js';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { deliverAll, type DeliveryResult } from '../../notifications/deliver.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export async function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult<{ results: DeliveryResult[] }>> {
  const lines = inp.lines ?? (inp.text ? inp.text.split('\n') : []);
  const results = await deliverAll(inp.channels, { kind: inp.kind, title: inp.title, lines, ...(inp.context ? { context: inp.context } : {}) }, { config: ctx.config, now: ctx.now, signal: ctx.signal });
  const failed = results.filter((r) => !r.ok);
  if (failed.length === results.length) {
    throw new GanglionError(502, 'notify_failed', failed.map((r) => r.error).join('; '), { details: { results } });
  }
  const sent = results.filter((r) => r.ok).map((r) => r.channel);
  return { summary: `sent "${inp.title}" to ${sent.join(' and ')}${failed.length ? `; not sent: ${failed.map((r) => r.error).join('; ')}` : ''}`, data: { results } };
}
