/** verify: a worker Job checks a Deployment after a deploy (pods Ready, restarts stable, HTTP smoke check). */
import type { z } from 'zod';
import type { FunctionContext, StepResult } from '../../function-kit/function-module.js';
import { runWorkerStep } from '../../function-kit/worker-step.js';
import type { input } from './schema.js';

export { meta } from './schema.js';

export function handle(inp: z.infer<typeof input>, ctx: FunctionContext): Promise<StepResult> {
  const args = ['--name', inp.name, '--namespace', inp.namespace, '--window-ms', String(Math.round(inp.windowSeconds * 1000)), ...(inp.smokeUrl ? ['--smoke-url', inp.smokeUrl] : [])];
  return runWorkerStep(ctx, 'verify', args, { cluster: inp.cluster, timeoutSeconds: inp.timeoutSeconds, needsApi: true, subject: `deployment/${inp.name}` });
}
