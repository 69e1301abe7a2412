/** Fake verify input (the real one is in functions/verify): the Deployment to check. */
import * as z from 'zod';
import { defineMeta } from '../../../../function-kit/function-module.js';

export const input = z.object({ name: z.string(), namespace: z.string().optional(), cluster: z.string().optional() });
export const meta = defineMeta({ name: 'verify', description: 'fake verify for the webhook test', input, mutates: false, access: 'operator', examples: [] });
