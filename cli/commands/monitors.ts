/** `ganglion monitors`: every monitor with its rule, schedule, channels and what is firing (GET /function/monitor/monitors). */
import type { MonitorView } from '../../functions/monitor/monitor-listing.js';
import { GanglionError } from '../../runtime/errors.js';
import type { CliCommand } from '../cli-command.js';
import { request } from '../http-request.js';
import { answerData } from '../planner-client.js';

export const command: CliCommand = {
  usage: 'monitors',
  summary: 'list monitors: rule, schedule, where alerts go, what is firing',
  maxArgs: 0,
  async run({ options, term }) {
    const url = `${options.gateway}/function/monitor/monitors`;
    const answer = await request({ method: 'GET', url, headers: { accept: 'application/json' } });
    if (answer.status === 404) throw new GanglionError(404, 'not_found', `the gateway at ${options.gateway} has no monitor function (GET ${url} → 404); deploy it (stack.yml) or update the stack`);
    if (answer.status >= 400) throw new GanglionError(answer.status, 'monitors_failed', `listing monitors failed (HTTP ${answer.status}): ${answer.body.toString('utf8').slice(0, 300)}`);
    const data = answerData(answer);
    const monitors = (Array.isArray(data) ? data : []) as MonitorView[];
    if (options.json) {
      term.out(JSON.stringify(monitors, null, 2));
      return 0;
    }
    if (monitors.length === 0) {
      term.out('No monitors yet. Create one: ganglion "Alert me if any pod restarts more than 3 times"');
      return 0;
    }
    for (const m of monitors) {
      const firing = m.firing.length === 0 ? term.style.ok('quiet') : term.style.fail(`${m.firing.length} firing`);
      term.out(`${term.style.bold(m.id)}  ${m.description}  ${term.style.dim(`(${m.every}; alerts → ${m.notify.join(', ') || 'nowhere'})`)}  ${firing}`);
      for (const f of m.firing) term.out(`  ! ${f.namespace ? `${f.namespace}/` : ''}${f.subject}: ${f.detail} (since ${f.openedAt})`);
    }
    return 0;
  },
};
