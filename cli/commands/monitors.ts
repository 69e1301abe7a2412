/** `ganglion monitors`: every monitor with its rule, schedule, alert channels and what is firing — from the monitor function, else $GANGLION_HOME/monitors. */
import { monitorListing, type MonitorView } from '../../functions/monitor/monitor-listing.js';
import type { CliCommand } from '../cli-command.js';
import { request } from '../http-request.js';
import { GanglionError } from '../../runtime/errors.js';

/** The gateway's answer, or undefined when it has no monitor function (or cannot be reached) so the local store is read instead. */
async function fromGateway(gateway: string): Promise<MonitorView[] | undefined> {
  try {
    const answer = await request({ method: 'GET', url: `${gateway.replace(/\/+$/, '')}/function/monitor/monitors`, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (answer.status !== 200) return undefined;
    const list: unknown = JSON.parse(answer.body.toString('utf8'));
    return Array.isArray(list) ? (list as MonitorView[]) : undefined;
  } catch (err) {
    // No gateway running (or it answered garbage): the store on this machine still knows the monitors.
    if (err instanceof SyntaxError || err instanceof GanglionError || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))) return undefined;
    throw err;
  }
}

export const command: CliCommand = {
  usage: 'monitors',
  summary: 'list monitors: rule, schedule, alerts, what is firing',
  maxArgs: 0,
  async run({ options, term }) {
    const list = (await fromGateway(options.gateway)) ?? monitorListing(options.home);
    if (options.json) {
      term.out(JSON.stringify(list, null, 2));
      return 0;
    }
    if (list.length === 0) {
      term.out('No monitors yet. Try: ganglion "Alert me if any pod restarts more than 3 times"');
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
