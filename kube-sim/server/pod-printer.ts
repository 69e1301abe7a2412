/** A pod's READY, STATUS and RESTARTS exactly as kubectl's printer derives them (printers/internalversion printPod). */
import { ageOf } from './human-duration.js';
import { obj, arr, str, num, type JsonMap } from '../json-fields.js';

type Json = JsonMap;

export interface PodSummary { ready: string; status: string; restarts: string; readyContainers: number; totalContainers: number; restartCount: number }

function conditionTrue(status: Json, type: string): boolean {
  return arr(status.conditions).some((c) => c.type === type && c.status === 'True');
}

export function summarisePod(pod: Json, now: number): PodSummary {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const metadata = obj(pod.metadata);
  const initSpecs = arr(spec.initContainers);
  const totalContainers = arr(spec.containers).length;
  let readyContainers = 0;
  let restarts = 0;
  let lastRestart = 0;
  let reason = str(status.reason) || str(status.phase);
  const noteRestart = (c: Json) => {
    const finished = str(obj(obj(c.lastState).terminated).finishedAt);
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
  };

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += num(c.restartCount);
    noteRestart(c);
    const state = obj(c.state);
    const terminated = state.terminated ? obj(state.terminated) : undefined;
    const waiting = state.waiting ? obj(state.waiting) : undefined;
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (terminated) {
      reason = str(terminated.reason) ? `Init:${str(terminated.reason)}`
        : num(terminated.signal) ? `Init:Signal:${num(terminated.signal)}` : `Init:ExitCode:${num(terminated.exitCode)}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    if (initializing) restarts = 0;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += num(c.restartCount);
      noteRestart(c);
      const state = obj(c.state);
      const terminated = state.terminated ? obj(state.terminated) : undefined;
      const waiting = state.waiting ? obj(state.waiting) : undefined;
      if (waiting && str(waiting.reason)) reason = str(waiting.reason);
      else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
      else if (terminated) reason = num(terminated.signal) ? `Signal:${num(terminated.signal)}` : `ExitCode:${num(terminated.exitCode)}`;
      else if (c.ready === true && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = arr(status.conditions).some((c) => c.type === 'Ready') && conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }

  const phase = str(status.phase);
  if (metadata.deletionTimestamp && str(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart > 0 ? `${restarts} (${ageOf(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsText, readyContainers, totalContainers, restartCount: restarts };
}
