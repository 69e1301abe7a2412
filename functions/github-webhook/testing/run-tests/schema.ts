/** Fake run-tests input (the real one is in functions/run-tests): a branch and a repository. */
import * as z from 'zod';
import { defineMeta } from '../../../../function-kit/function-module.js';

export const input = z.object({ branch: z.string().default('main'), repo: z.string().optional() });
export const meta = defineMeta({ name: 'run-tests', description: 'fake run-tests for the webhook test', input, mutates: false, access: 'operator', examples: [] });
