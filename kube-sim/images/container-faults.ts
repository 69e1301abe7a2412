/**
 * What happens when the kubelet starts a simulated container whose image the catalog knows: a program the image
 * lacks, a default program that ends at once or without its settings, memory above the limit, probes to a port or
 * path nothing serves. Pure: the kubelet turns the plan into states, events and logs.
 */
import { parseQuantity } from '../controllers/quantity.js';
import type { ImageCatalog, KnownImage } from './image-catalog.js';
import { lookupImage } from './image-catalog.js';
import { commandFault, containerArgv, defaultProgram, runningProgram } from './container-command.js';

export interface Probe {
  httpGet?: { path?: string; port?: number | string; scheme?: string };
  tcpSocket?: { port?: number | string };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface ContainerShape {
  command?: string[];
  args?: string[];
  stdin?: boolean;
  ports?: { name?: string; containerPort?: number }[];
  resources?: { limits?: Record<string, unknown> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

export interface PlannedExit { afterSeconds: number; exitCode: number; reason: string; log?: string[] }

export interface StartPlan {
  /** containerd cannot start the process (StartError, exit 128) */
  startError?: string;
  /** the process fails before it does anything (the shell cannot find the script's command): beats the scenario */
  failsFirst?: PlannedExit;
  /** how the image's default program ends by itself (the scenario's behaviour for the image, if any, wins) */
  exit?: PlannedExit;
  /** every readiness probe fails with this (the text after "Readiness probe failed: ") */
  readinessFailure?: string;
  /** liveness probes fail: after `afterSeconds` the kubelet kills the container */
  liveness?: PlannedExit & { failures: number; message: string };
}

export interface StartInput {
  catalog: ImageCatalog;
  image: string;
  spec: ContainerShape;
  env: Record<string, string>;
  podIP: string;
  /** HTTP paths the app answers besides the image's own (the scenario's `serves`, e.g. from its configuration) */
  serves?: string[];
}

// the shell or interpreter gets EOF on stdin and returns in a moment; a process killed by the OOM killer takes longer
const QUICK_EXIT_SECONDS = 0.2;
const OOM_AFTER_SECONDS = 1;

function resolvePort(port: number | string | undefined, spec: ContainerShape): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return spec.ports?.find((p) => p.name === port)?.containerPort;
}

/** Why this probe fails against the image's default program, or undefined when it passes or cannot be judged. */
function probeFailure(known: KnownImage, probe: Probe, input: StartInput, isDefault: boolean): string | undefined {
  const command = probe.exec?.command;
  if (command?.length) {
    const fault = commandFault(known, command);
    if (fault?.kind !== 'start-error') return undefined;
    return `OCI runtime exec failed: exec failed: unable to start container process: ${fault.message.slice(fault.message.indexOf('exec: '))}`;
  }
  const ports = known.entry.ports;
  if (!isDefault || !ports) return undefined;
  const port = resolvePort(probe.httpGet?.port ?? probe.tcpSocket?.port, input.spec);
  if (port === undefined) return undefined;
  const refused = `dial tcp ${input.podIP}:${port}: connect: connection refused`;
  if (probe.tcpSocket) return ports.includes(port) ? undefined : refused;
  if (!probe.httpGet) return undefined;
  const path = probe.httpGet.path || '/';
  if (!ports.includes(port)) return `Get "${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${input.podIP}:${port}${path}": ${refused}`;
  const served = [...(known.entry.http ?? []), ...(input.serves ?? [])];
  if (known.entry.http && !served.includes(path.split('?')[0])) return 'HTTP probe failed with statuscode: 404';
  return undefined;
}

function ownExit(known: KnownImage, input: StartInput, argv: string[]): PlannedExit | undefined {
  const entry = known.entry;
  const defaultArgv = containerArgv(known, {});
  const isDefault = argv.length === defaultArgv.length && argv.every((word, i) => word === defaultArgv[i]);
  if (runningProgram(known, argv) !== defaultProgram(known)) return undefined;
  const needs = entry.requiresEnv;
  if (needs && !needs.anyOf.some((name) => input.env[name])) return { afterSeconds: QUICK_EXIT_SECONDS, exitCode: needs.exitCode, reason: 'Error', log: needs.log };
  const limit = input.spec.resources?.limits?.memory;
  if (entry.memory && limit !== undefined && parseQuantity(limit) < parseQuantity(entry.memory)) {
    return { afterSeconds: OOM_AFTER_SECONDS, exitCode: 137, reason: 'OOMKilled' };
  }
  if (entry.defaultExit && isDefault && !input.spec.stdin) {
    return { afterSeconds: QUICK_EXIT_SECONDS, exitCode: entry.defaultExit.exitCode, reason: entry.defaultExit.exitCode === 0 ? 'Completed' : 'Error', ...(entry.defaultExit.log ? { log: entry.defaultExit.log } : {}) };
  }
  return undefined;
}

/** The plan for one start of a simulated container; empty when the catalog does not know the image. */
export function planStart(input: StartInput): StartPlan {
  const known = lookupImage(input.catalog, input.image);
  if (!known) return {};
  const argv = containerArgv(known, input.spec);
  const fault = commandFault(known, argv);
  if (fault?.kind === 'start-error') return { startError: fault.message };
  const plan: StartPlan = {};
  if (fault?.kind === 'not-found') plan.failsFirst = { afterSeconds: QUICK_EXIT_SECONDS, exitCode: fault.exitCode, reason: 'Error', log: [fault.log] };
  const exit = ownExit(known, input, argv);
  if (exit) plan.exit = exit;
  const isDefault = runningProgram(known, argv) === defaultProgram(known);
  const { readinessProbe, livenessProbe } = input.spec;
  const readiness = readinessProbe && probeFailure(known, readinessProbe, input, isDefault);
  if (readiness) plan.readinessFailure = readiness;
  const liveness = livenessProbe && probeFailure(known, livenessProbe, input, isDefault);
  if (livenessProbe && liveness) {
    const failures = livenessProbe.failureThreshold ?? 3;
    const afterSeconds = (livenessProbe.initialDelaySeconds ?? 0) + (livenessProbe.periodSeconds ?? 10) * failures;
    const stop = known.entry.gracefulStop ? { exitCode: 0, reason: 'Completed' } : { exitCode: 137, reason: 'Error' };
    plan.liveness = { afterSeconds, failures, message: liveness, ...stop };
  }
  return plan;
}
