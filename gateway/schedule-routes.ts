/** /system/schedules: list, add or replace (PUT /system/schedules/<id>), read and remove run-time schedules. */
import * as z from 'zod';
import { GanglionError } from '../kernel/errors.js';
import { formatIssues } from '../kernel/zod-issues.js';
import type { FnResponse } from '../function-kit/function-module.js';
import { jsonReply, parseJsonBody, textReply, emptyReply } from './reply.js';
import type { SystemRequest } from './system-routes.js';
import type { CronScheduler } from '../scheduler/cron-scheduler.js';

const body = z.object({
  function: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.openfaas-fn)?$/, 'must name a function, e.g. "pod-health"'),
  schedule: z.string().min(1),
  body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
});

export function createScheduleRoutes(scheduler: CronScheduler, functionExists: (name: string) => boolean) {
  return async function schedules(req: SystemRequest): Promise<FnResponse | undefined> {
    if (req.path === '/schedules' && req.method === 'GET') return jsonReply(200, scheduler.list());
    const one = /^\/schedules\/([^/]+)$/.exec(req.path);
    if (!one) return undefined;
    const id = decodeURIComponent(one[1] as string);
    if (req.method === 'GET') {
      const found = scheduler.list().find((s) => s.id === id);
      return found ? jsonReply(200, found) : textReply(404, `no schedule ${id}`);
    }
    if (req.method === 'DELETE') {
      if (id.startsWith('stack:')) return textReply(409, `schedule ${id} comes from stack.yml annotations; remove it there`);
      return scheduler.remove(id) ? emptyReply(204) : textReply(404, `no schedule ${id}`);
    }
    if (req.method !== 'PUT') return textReply(405, `use GET, PUT or DELETE on /system/schedules/${id}`);
    const json = parseJsonBody(req.body);
    if (!json.ok) return json.reply;
    const parsed = body.safeParse(json.value);
    if (!parsed.success) return textReply(400, `invalid schedule: ${formatIssues(parsed.error, { root: '(body)' })}`);
    const fn = parsed.data.function.replace(/\.openfaas-fn$/, '');
    if (!functionExists(fn)) return textReply(400, `function ${fn} is not deployed; deploy it before scheduling it`);
    const payload = parsed.data.body;
    try {
      const { created } = scheduler.put(id, {
        function: fn, schedule: parsed.data.schedule,
        ...(payload === undefined ? {} : typeof payload === 'string' ? { body: payload, contentType: 'text/plain' } : { body: JSON.stringify(payload), contentType: 'application/json' }),
      });
      return jsonReply(created ? 201 : 200, scheduler.list().find((s) => s.id === id));
    } catch (err) {
      if (err instanceof GanglionError) return textReply(err.status, err.message);
      throw err;
    }
  };
}
