/**
 * `ganglion monitors`: every monitor with its rule, schedule, alert channels and what is firing, from the monitor
 * function (GET /function/monitor/monitors); when no gateway answers, from the store under $GANGLION_HOME/monitors.
 */
import { monitorListing, type MonitorView } from '../../monitors/monitor-listing.js';
import { GanglionError } from '../../kernel/errors.js';
import type { CliCommand } from '../cli-command.js';
import { request } from '../http-request.js';
import { answerData } from '../planner-client.js';

async function fromGateway(gateway: string): Promise<MonitorView[] | undefined> {
  const url = `${gateway.replace(/\/+$/, '')}/function/monitor/monitors`;
  let answer;
  try {
    answer = await request({ method: 'GET', url, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    // No gateway running: the store on this machine still knows the monitors.
    if ((err instanceof GanglionError && err.code === 'gateway_unreachable') || (err instanceof Error && err.name === 'TimeoutError')) return undefined;
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
    const list = (await fromGateway(options.gateway)) ?? monitorListing(options.home);
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
