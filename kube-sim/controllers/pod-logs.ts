/**
 * Pod logs as the API server's `/log` serves them: generated from the scenario's templates for simulated images,
 * captured output for containers run for real (workers, demo apps); current or previous container, tail, since, byte limit, timestamps.
 */
import { KubeStatusError, type KubeObject, type ObjectStore } from '../store.js';
import { behaviourOf, demoAppOf, normaliseImage, type Simulation } from '../scenario/scenario.js';
import { isWorkerImage } from './worker-process.js';

export interface PodLogOptions { container?: string; previous?: boolean; tailLines?: number; sinceSeconds?: number; limitBytes?: number; timestamps?: boolean }
export interface PodLogSource { read(namespace: string, pod: string, opts?: PodLogOptions): string }

export interface WorkerLogSink {
  append(podUid: string, container: string, attempt: number, text: string, at: number): void;
  drop(podUid: string): void;
}

interface Line { at: number; text: string }
interface Instance { attempt: number; startedAt: number; finishedAt?: number; reason?: string }
interface StatusShape { name: string; restartCount?: number; state?: Record<string, { startedAt?: string; finishedAt?: string; reason?: string; message?: string }>; lastState?: Record<string, { startedAt?: string; finishedAt?: string; reason?: string }> }

const MAX_BUFFER_LINES = 20_000;
const MAX_REPEAT_CYCLES = 300;

function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function instanceFrom(term: { startedAt?: string; finishedAt?: string; reason?: string } | undefined, attempt: number): Instance | undefined {
  if (!term?.startedAt) return undefined;
  return { attempt, startedAt: Date.parse(term.startedAt), ...(term.finishedAt ? { finishedAt: Date.parse(term.finishedAt) } : {}), ...(term.reason ? { reason: term.reason } : {}) };
}

export function createPodLogs({ store, simulation, secondMs, now }: { store: ObjectStore; simulation: Simulation; secondMs: number; now: () => number }): { source: PodLogSource; sink: WorkerLogSink } {
  const buffers = new Map<string, { lines: Line[]; partial: string }>();

  const sink: WorkerLogSink = {
    append(podUid, container, attempt, text, at) {
      const key = `${podUid}/${container}/${attempt}`;
      let buf = buffers.get(key);
      if (!buf) {
        buf = { lines: [], partial: '' };
        buffers.set(key, buf);
      }
      const parts = (buf.partial + text).split('\n');
      buf.partial = parts.pop() ?? '';
      for (const part of parts) buf.lines.push({ at, text: part });
      if (buf.lines.length > MAX_BUFFER_LINES) buf.lines.splice(0, buf.lines.length - MAX_BUFFER_LINES);
    },
    drop(podUid) {
      for (const key of [...buffers.keys()]) if (key.startsWith(`${podUid}/`)) buffers.delete(key);
    },
  };

  function workerLines(pod: KubeObject, container: string, attempt: number): Line[] {
    const buf = buffers.get(`${pod.metadata.uid}/${container}/${attempt}`);
    if (!buf) return [];
    return buf.partial ? [...buf.lines, { at: now(), text: buf.partial }] : buf.lines;
  }

  function simulatedLines(pod: KubeObject, container: string, image: string, inst: Instance): Line[] {
    const logs = behaviourOf(simulation, image).logs;
    if (!logs) return [];
    const status = (pod.status ?? {}) as { podIP?: string };
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    const vars: Record<string, string> = {
      pod: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default', node: spec.nodeName ?? '', podIP: status.podIP ?? '',
      container, image, tag: normaliseImage(image).tag, restart: String(inst.attempt),
    };
    const render = (text: string, at: number, n: number) =>
      text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key === 'n' ? String(n) : key === 'time' ? new Date(at).toISOString() : (vars[key] ?? whole)));
    const out: Line[] = [];
    (logs.startup ?? []).forEach((text, i) => out.push({ at: inst.startedAt + i, text: render(text, inst.startedAt + i, 0) }));
    const end = inst.finishedAt ?? now();
    const period = (logs.repeat?.everySeconds ?? 0) * secondMs;
    if (logs.repeat && period > 0) {
      const cycles = Math.floor((end - inst.startedAt) / period);
      for (let n = Math.max(1, cycles - MAX_REPEAT_CYCLES + 1); n <= cycles; n++) {
        const at = inst.startedAt + n * period;
        for (const text of logs.repeat.lines) out.push({ at, text: render(text, at, n) });
      }
    }
    if (inst.finishedAt !== undefined && inst.reason !== 'OOMKilled') {
      (logs.exit ?? []).forEach((text, i) => out.push({ at: end + i, text: render(text, end + i, 0) }));
    }
    return out;
  }

  function read(namespace: string, podName: string, opts: PodLogOptions = {}): string {
    const pod = store.peek('pods', namespace, podName);
    if (!pod) throw new KubeStatusError(404, 'NotFound', `pods "${podName}" not found`, { name: podName, kind: 'pods' });
    const specs = ((pod.spec as { containers?: { name: string; image?: string }[] } | undefined)?.containers ?? []);
    const names = specs.map((c) => c.name);
    const name = opts.container ?? (names.length === 1 ? names[0] : undefined);
    if (!name) throw new KubeStatusError(400, 'BadRequest', `a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
    const spec = specs.find((c) => c.name === name);
    if (!spec) throw new KubeStatusError(400, 'BadRequest', `container ${name} is not valid for pod ${podName}`);
    if (!(pod.spec as { nodeName?: string }).nodeName) throw new KubeStatusError(400, 'BadRequest', `pod ${podName} does not have a host assigned`);
    const status = (((pod.status ?? {}) as { containerStatuses?: StatusShape[] }).containerStatuses ?? []).find((s) => s.name === name);
    const restarts = status?.restartCount ?? 0;
    const previous = instanceFrom(status?.lastState?.terminated, Math.max(0, restarts - 1));
    let inst: Instance | undefined;
    if (opts.previous) {
      inst = previous;
      if (!inst) throw new KubeStatusError(400, 'BadRequest', `previous terminated container "${name}" in pod "${podName}" not found`);
    } else {
      inst = instanceFrom(status?.state?.running, restarts) ?? instanceFrom(status?.state?.terminated, restarts) ?? previous;
      if (!inst) {
        const waiting = status?.state?.waiting?.reason;
        const why = waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' ? 'trying and failing to pull image' : (waiting ?? 'ContainerCreating');
        throw new KubeStatusError(400, 'BadRequest', `container "${name}" in pod "${podName}" is waiting to start: ${why}`);
      }
    }
    const image = spec.image ?? '';
    // what a process printed (a worker's or demo app's output, a shell's "not found") beats the scenario's templates
    const captured = workerLines(pod, name, inst.attempt);
    let lines = isWorkerImage(image) || demoAppOf(simulation, image) || captured.length > 0 ? captured : simulatedLines(pod, name, image, inst);
    if (opts.sinceSeconds !== undefined && opts.sinceSeconds > 0) {
      const from = now() - opts.sinceSeconds * 1000;
      lines = lines.filter((l) => l.at >= from);
    }
    if (opts.tailLines !== undefined && opts.tailLines >= 0) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
    let text = lines.map((l) => (opts.timestamps ? `${rfc3339Nano(l.at)} ${l.text}\n` : `${l.text}\n`)).join('');
    if (opts.limitBytes !== undefined && opts.limitBytes > 0) {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length > opts.limitBytes) text = bytes.subarray(0, opts.limitBytes).toString('utf8');
    }
    return text;
  }

  return { source: { read }, sink };
}
