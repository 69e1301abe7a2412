/** The event types Ganglion functions exchange, and the extensions that carry a run across hops. */
export const EVENT = {
  command: 'dev.ganglion.command',
  stepRequested: 'dev.ganglion.step.requested',
  stepCompleted: 'dev.ganglion.step.completed',
  stepFailed: 'dev.ganglion.step.failed',
  runAwaitingApproval: 'dev.ganglion.run.awaiting-approval',
  runCompleted: 'dev.ganglion.run.completed',
  runFailed: 'dev.ganglion.run.failed',
  alert: 'dev.ganglion.alert',
  report: 'dev.ganglion.report',
} as const;

/** Extensions copied from a request event onto its reply. `hopsleft` is the loop guard: each hop spends one. */
export const CARRIED_EXTENSIONS = ['runid', 'stepid', 'traceparent', 'tracestate', 'hopsleft'] as const;
export const DEFAULT_HOPS = 16;
/** The extension that carries a step's approval token from the planner to the mutating function. */
export const APPROVAL_EXTENSION = 'approval';
/**
 * The extension naming the function a step.requested event is for. The gateway routes by URL path, but a Knative
 * Broker routes by attributes only, and its Trigger filters match exact values: one value per function does.
 * Not carried onto replies, so an answer never looks addressed to a function.
 */
export const TARGET_EXTENSION = 'targetfunction';

export const sourceOf = (functionName: string) => `/ganglion/${functionName}`;

export interface StepCompletedData<D = unknown> {
  summary: string;
  data: D;
}
export interface StepFailedData {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
