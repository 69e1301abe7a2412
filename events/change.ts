/**
 * What a mutating step changes (or would change): the `data.changes` entries functions report, and the shape the
 * planner shows for approval. One definition for every producer and reader.
 */
import * as z from 'zod';

export const change = z.strictObject({
  object: z.string().describe('deployment/placemyparents, monitor/pod-crash, …'),
  namespace: z.string().optional(),
  /** The kubeconfig context, when the step named one. */
  cluster: z.string().optional(),
  field: z.string().describe('image, replicas, restartedAt, template, …'),
  /** The container, for image changes. */
  container: z.string().optional(),
  before: z.unknown().describe('null when there was nothing before'),
  after: z.unknown().describe('null when nothing is left after'),
});

export type Change = z.infer<typeof change>;
