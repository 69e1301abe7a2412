/** The parts of a GitHub push event the pipeline needs, read from a JSON body or the form-encoded `payload=` GitHub can send. */
import * as z from 'zod';
import { GanglionError } from '../../kernel/errors.js';
import { formatIssues } from '../../kernel/zod-issues.js';

const pushSchema = z.object({
  ref: z.string(),
  after: z.string().regex(/^[0-9a-f]{7,64}$/),
  deleted: z.boolean().optional(),
  repository: z.object({
    name: z.string(),
    full_name: z.string().optional(),
    clone_url: z.string().optional(),
    ssh_url: z.string().optional(),
    html_url: z.string().optional(),
  }),
  pusher: z.object({ name: z.string().optional() }).optional(),
  head_commit: z.object({ message: z.string().optional() }).nullable().optional(),
});
export type PushEvent = z.infer<typeof pushSchema>;

export function parsePush(raw: Buffer, contentType: string): PushEvent {
  let text = raw.toString('utf8');
  if (contentType.startsWith('application/x-www-form-urlencoded')) text = new URLSearchParams(text).get('payload') ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new GanglionError(400, 'invalid_payload', 'the push payload is not JSON; set the webhook content type to application/json', { cause });
  }
  const parsed = pushSchema.safeParse(json);
  if (!parsed.success) throw new GanglionError(400, 'invalid_payload', `not a GitHub push event: ${formatIssues(parsed.error, { root: '(body)' })}`);
  return parsed.data;
}

/** The names a repository goes by, to match a Deployment's ganglion.dev/repo annotation. */
export function repoNames(p: PushEvent): string[] {
  const r = p.repository;
  return [r.clone_url, r.ssh_url, r.html_url, r.full_name].filter((x): x is string => Boolean(x));
}
