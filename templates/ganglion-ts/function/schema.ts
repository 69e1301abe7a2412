/** Input of this function: the single definition that validates the body, types the handler and documents the tool for the planner. */
import * as z from 'zod';
import { defineMeta } from '../../function-kit/function-module.js';

export const input = z.object({
  name: z.string().trim().min(1).max(100).default('world').describe('Who to greet'),
});

export const meta = defineMeta({
  // Must equal the function's name in stack.yml (a DNS-1123 label).
  name: 'hello',
  description: 'Says hello (a starting point: replace with what your function does)',
  input,
  mutates: false,
  // Who may call it: viewer (reads only), operator (runs code or images, or changes things), public (no identity; see docs/production.md)
  access: 'viewer',
  examples: ['say hello to Ada'],
  textField: 'name',
  // Kubernetes API calls this function makes; k8s/ RBAC must grant exactly these (test/production checks).
  kube: [],
});
