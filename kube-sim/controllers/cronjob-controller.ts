/**
 * The CronJob controller, after Kubernetes' cronjob_controllerv2: on each schedule time a Job named
 * `<cronjob>-<minutes since epoch>`, concurrencyPolicy, startingDeadlineSeconds, suspend, status and history limits.
 */
import { KubeStatusError, type KubeObject, type ObjectStore } from '../store.js';
import { controllerOf, routeOwnedEvents, type OwnerIndex } from './owner-index.js';
import { stableStringify } from './pod-template-hash.js';
import { formatInZone, mostRecentScheduleTime, nextWakeAt, parseSchedule, validTimeZone, type ScheduleAnchor } from './cron-schedule.js';
import type { EventRecorder } from './event-recorder.js';
import type { WorkLoop } from './work-loop.js';

interface CronJobSpec {
  schedule?: string; timeZone?: string; suspend?: boolean; startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace'; successfulJobsHistoryLimit?: number; failedJobsHistoryLimit?: number;
  jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
}
interface JobRef { kind: string; namespace: string; name: string; uid: string; apiVersion: string; resourceVersion: string }
interface CronJobStatus { active?: JobRef[]; lastScheduleTime?: string; lastSuccessfulTime?: string }
interface JobStatus { startTime?: string; completionTime?: string; conditions?: { type: string; status: string }[] }

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const jobStatus = (job: KubeObject) => (job.status ?? {}) as JobStatus;
const finishedAs = (job: KubeObject) => jobStatus(job).conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
const refTo = (job: KubeObject): JobRef => ({
  kind: 'Job', namespace: job.metadata.namespace ?? '', name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion,
});

/** byJobStartTime: oldest start first, jobs without a start time last, names break ties. */
function byStartTime(a: KubeObject, b: KubeObject): number {
  const sa = jobStatus(a).startTime;
  const sb = jobStatus(b).startTime;
  if (!sa || !sb) return sa ? -1 : sb ? 1 : a.metadata.name.localeCompare(b.metadata.name);
  return Date.parse(sa) - Date.parse(sb) || a.metadata.name.localeCompare(b.metadata.name);
}

export function createCronJobController({ store, loop, index, events, now }: { store: ObjectStore; loop: WorkLoop; index: OwnerIndex; events: EventRecorder; now: () => number }) {
  const source = { component: 'cronjob-controller' };

  function deleteJob(cj: KubeObject, status: CronJobStatus, job: KubeObject): void {
    store.delete('jobs', job.metadata.namespace, job.metadata.name, { propagationPolicy: 'Background' });
    status.active = (status.active ?? []).filter((r) => r.uid !== job.metadata.uid);
    events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, source);
  }

  /** Reconciles active, lastSuccessfulTime and missing Jobs; then maybe starts one. Returns when to look again. */
  function syncCronJob(cj: KubeObject, status: CronJobStatus, jobs: KubeObject[], t: number): number | undefined {
    const spec = (cj.spec ?? {}) as CronJobSpec;
    for (const job of jobs) {
      const found = (status.active ?? []).some((r) => r.uid === job.metadata.uid);
      const finished = finishedAs(job);
      if (!found && !finished) {
        events.record(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name}`, source);
      } else if (finished) {
        if (found) {
          status.active = (status.active ?? []).filter((r) => r.uid !== job.metadata.uid);
          events.record(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${finished}`, source);
        }
        const completed = jobStatus(job).completionTime;
        if (finished === 'Complete' && completed && (!status.lastSuccessfulTime || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = completed;
      }
    }
    for (const ref of status.active ?? []) {
      if (jobs.some((j) => j.metadata.uid === ref.uid) || store.peek('jobs', ref.namespace, ref.name)?.metadata.uid === ref.uid) continue;
      events.record(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`, source);
      status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
    }
    if (cj.metadata.deletionTimestamp) return undefined;
    if (spec.timeZone !== undefined && !validTimeZone(spec.timeZone)) {
      events.record(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${spec.timeZone}": unknown time zone ${spec.timeZone}`, source);
      return undefined;
    }
    if (spec.suspend) return undefined;
    const parsed = parseSchedule(spec.schedule ?? '', spec.timeZone);
    if (!parsed.ok) {
      events.record(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule ?? ''}" : ${parsed.error}`, source);
      return undefined;
    }
    if (parsed.inlineTimeZone) {
      events.record(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule "${spec.schedule ?? ''}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`, source);
    }
    const { schedule } = parsed;
    const anchor = (): ScheduleAnchor => ({
      created: Date.parse(cj.metadata.creationTimestamp ?? '') || t,
      ...(status.lastScheduleTime ? { lastSchedule: Date.parse(status.lastScheduleTime) } : {}),
      ...(spec.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: spec.startingDeadlineSeconds } : {}),
    });
    const recent = mostRecentScheduleTime(schedule, anchor(), t, true);
    if (recent.error) {
      events.record(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule ?? ''} : ${recent.error}`, source);
      return undefined;
    }
    const scheduled = recent.mostRecent;
    if (scheduled === undefined) return nextWakeAt(schedule, anchor(), t);
    if (recent.missed === 'many') {
      events.record(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', source);
    }
    if (spec.startingDeadlineSeconds !== undefined && scheduled + spec.startingDeadlineSeconds * 1_000 < t) {
      events.record(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace('GMT', '+0000')}`, source);
      return nextWakeAt(schedule, anchor(), t);
    }
    const name = `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
    if ((status.active ?? []).some((r) => r.name === name) || (status.lastScheduleTime && Date.parse(status.lastScheduleTime) === scheduled)) return nextWakeAt(schedule, anchor(), t);
    if (spec.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      events.record(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', source);
      return nextWakeAt(schedule, anchor(), t);
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        const job = store.peek('jobs', ref.namespace, ref.name);
        if (job) deleteJob(cj, status, job);
      }
    }
    const template = spec.jobTemplate ?? {};
    let job: KubeObject;
    try {
      job = store.create('jobs', {
        apiVersion: 'batch/v1', kind: 'Job',
        metadata: {
          name, namespace: cj.metadata.namespace,
          labels: { ...template.metadata?.labels },
          annotations: { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP]: formatInZone(scheduled, spec.timeZone) },
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: structuredClone(template.spec ?? {}),
      });
      events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`, source);
    } catch (err) {
      if (!(err instanceof KubeStatusError && err.code === 409)) {
        events.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : String(err)}`, source);
        throw err;
      }
      // a Job of that name exists: adopt it into active only if this CronJob made it
      const existing = store.peek('jobs', cj.metadata.namespace, name);
      if (!existing || controllerOf(existing)?.uid !== cj.metadata.uid || (status.active ?? []).some((r) => r.uid === existing.metadata.uid)) return undefined;
      job = existing;
    }
    status.active = [...(status.active ?? []), refTo(job)];
    status.lastScheduleTime = iso(scheduled);
    return nextWakeAt(schedule, anchor(), t);
  }

  /** cleanupFinishedJobs: the oldest finished Jobs past each history limit go. */
  function cleanupFinishedJobs(cj: KubeObject, status: CronJobStatus, jobs: KubeObject[]): void {
    const spec = (cj.spec ?? {}) as CronJobSpec;
    for (const [kind, limit] of [['Complete', spec.successfulJobsHistoryLimit], ['Failed', spec.failedJobsHistoryLimit]] as const) {
      if (limit === undefined) continue;
      const finished = jobs.filter((j) => finishedAs(j) === kind && store.peek('jobs', j.metadata.namespace, j.metadata.name)).sort(byStartTime);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) deleteJob(cj, status, job);
    }
  }

  function reconcile(key: string): void {
    const slash = key.indexOf('/');
    const cj = store.peek('cronjobs', key.slice(0, slash), key.slice(slash + 1));
    if (!cj) return;
    const t = now();
    const jobs = index.owned('jobs', cj.metadata.uid);
    const previous = (cj.status ?? {}) as CronJobStatus;
    const status: CronJobStatus = structuredClone(previous);
    const wakeAt = syncCronJob(cj, status, jobs, t);
    if (!cj.metadata.deletionTimestamp) cleanupFinishedJobs(cj, status, jobs);
    if (status.active?.length === 0) delete status.active;
    if (stableStringify(status) !== stableStringify(previous)) store.mutate('cronjobs', cj.metadata.namespace, cj.metadata.name, (o) => { o.status = status; });
    if (wakeAt !== undefined) loop.wakeAt(wakeAt, 'cronjobs', key);
  }

  const onEvent = routeOwnedEvents({ resource: 'cronjobs', kind: 'CronJob', child: 'jobs', enqueue: (c, k) => loop.enqueue(c, k) });

  return { reconcile, onEvent };
}
