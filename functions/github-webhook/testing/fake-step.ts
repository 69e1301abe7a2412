/** Test fakes of the run-tests and verify functions (their real ones spawn Jobs): they record each call in $GANGLION_HOME/fake-calls.log. */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionContext } from '../../../function-kit/function-module.js';

export function recordCall(ctx: FunctionContext, fn: string, input: unknown): void {
  appendFileSync(path.join(ctx.config.home, 'fake-calls.log'), JSON.stringify({ fn, input, time: ctx.now().toISOString() }) + '\n');
}
