/**
 * `ganglion monitors`: every monitor with its rule, schedule, alert channels and what is firing, from the monitor
 * function (GET /function/monitor/monitors), which reads the Monitor objects in the cluster. No gateway, no list:
 * this machine keeps no monitors of its own.
 */
import type { MonitorView } from '../../monitors/monitor-listing.js';
import { GanglionError } from '../../kernel/errors.js';
import type { CliCommand } from '../cli-command.js';
import { request } from '../http-request.js';
import { answerData } from '../planner-client.js';

async function fromGateway(gateway: string, token: string | undefined): Promise<MonitorView[]> {
  const url = `${gateway.replace(/\/+$/, '')}/function/monitor/monitors`;
  let answer;
  try {
    answer = await request({ method: 'GET', url, headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') throw new GanglionError(504, 'gateway_timeout', `the gateway at ${gateway} did not answer GET ${url} within 10 s; the monitors are Monitor objects in the cluster (kubectl get monitors -n ganglion)`);
    if (err instanceof GanglionError && err.code === 'gateway_unreachable') throw new GanglionError(err.status, err.code, `${err.message}; the monitors are listed by the monitor function behind it (or kubectl get monitors -n ganglion)`, { cause: err });
    throw err;
  }
  if (answer.status === 404) throw new GanglionError(404, 'not_found', `the gateway at ${gateway} has no monitor function (GET ${url} → 404); deploy it (stack.yml) or update the stack`);
  if (answer.status >= 400) throw new GanglionError(answer.status, 'monitors_failed', `listing monitors failed (HTTP ${answer.status}): ${answer.body.toString('utf8').slice(0, 300)}`);
  const data = answerData(answer);
  return (Array.isArray(data) ? data : []) as MonitorView[];
}

export const command: CliCommand = {
  usage: 'monitors',
  summary: 'list monitors: rule, schedule, where alerts go, what is firing',
  args: [],
  async run({ options, term }) {
    const list = await fromGateway(options.gateway, options.token);
    if (options.json) {
      term.out(JSON.stringify(list, null, 2));
      return 0;
    }
    if (list.length === 0) {
      term.out('No monitors yet. Create one: ganglion "Alert me if any pod restarts more than 3 times"');
      return 0;
    }
    for (const m of list) {
      const firing = m.firing.length ? term.style.fail(`${m.firing.length} firing`) : term.style.ok('ok');
      const channels = m.notify.length ? m.notify.join('+') : 'no alerts';
      term.out(`${m.id}  ${firing}  ${m.description}, ${m.every} (${m.schedule}), ${channels}${m.cluster ? `, cluster ${m.cluster}` : ''}${m.lastCheckAt ? term.style.dim(`  last check ${m.lastCheckAt}`) : term.style.dim('  not checked yet')}`);
      for (const f of m.firing) term.out(`    ${f.subject}${f.namespace ? ` (${f.namespace})` : ''}: ${f.detail}  ${term.style.dim(`since ${f.openedAt}`)}`);
    }
    return 0;
  },
};
