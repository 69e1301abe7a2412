/**
 * The Job controller: pods labelled with the job name and controller uid, retries within backoffLimit,
 * activeDeadlineSeconds, SuccessCriteriaMet→Complete / FailureTarget→Failed (v1.31 order), counters, TTL cleanup.
 */
import type { KubeObject, NewObject, ObjectStore } from '../store.js';
import { routeOwnedEvents, type OwnerIndex } from './owner-index.js';
import { podFromTemplate } from './replicaset-controller.js';
import { isReady, isTerminal } from './pod-deletion.js';
import { stableStringify } from './pod-template-hash.js';
import { backoffMs, type Timing } from './timing.js';
import type { EventRecorder } from './event-recorder.js';
import type { WorkLoop } from './work-loop.js';

interface JobSpec {
  parallelism?: number; completions?: number; backoffLimit?: number; activeDeadlineSeconds?: number; ttlSecondsAfterFinished?: number; suspend?: boolean;
  selector?: { matchLabels?: Record<string, string> };
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
}
interface JobCondition { type: string; status: 'True' | 'False'; reason?: string; message?: string; lastProbeTime: string; lastTransitionTime: string }
interface JobStatus { startTime?: string; completionTime?: string; active?: number; ready?: number; succeeded?: number; failed?: number; terminating?: number; conditions?: JobCondition[] }

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const UID_LABEL = 'batch.kubernetes.io/controller-uid';
const NAME_LABEL = 'batch.kubernetes.io/job-name';

function finishedAt(pod: KubeObject): number {
  const statuses = ((pod.status ?? {}) as { containerStatuses?: { state?: { terminated?: { finishedAt?: string } } }[] }).containerStatuses ?? [];
  return Math.max(0, ...statuses.map((s) => Date.parse(s.state?.terminated?.finishedAt ?? '') || 0));
}

export function createJobController({ store, loop, index, events, now, timing }: { store: ObjectStore; loop: WorkLoop; index: OwnerIndex; events: EventRecorder; now: () => number; timing: Timing }) {
  const source = { component: 'job-controller' };

  function jobLabels(job: KubeObject): Record<string, string> {
    return { [UID_LABEL]: job.metadata.uid, [NAME_LABEL]: job.metadata.name, 'controller-uid': job.metadata.uid, 'job-name': job.metadata.name };
  }

  /** What the API server adds at creation: the selector and the job labels on the template. */
  function ensureDefaults(job: KubeObject): KubeObject {
    const spec = (job.spec ?? {}) as JobSpec;
    if (spec.selector?.matchLabels?.[UID_LABEL] && spec.template?.metadata?.labels?.[UID_LABEL]) return job;
    return store.mutate('jobs', job.metadata.namespace, job.metadata.name, (o) => {
      const s = (o.spec ?? {}) as JobSpec;
      s.selector = { ...(s.selector ?? {}), matchLabels: { ...(s.selector?.matchLabels ?? {}), [UID_LABEL]: job.metadata.uid } };
      s.template = { ...(s.template ?? {}), metadata: { ...(s.template?.metadata ?? {}), labels: { ...(s.template?.metadata?.labels ?? {}), ...jobLabels(job) } } };
      o.spec = s;
    });
  }

  function reconcile(key: string): void {
    const slash = key.indexOf('/');
    let job = store.peek('jobs', key.slice(0, slash), key.slice(slash + 1));
    if (!job || job.metadata.deletionTimestamp) return;
    const t = now();
    const previous = (job.status ?? {}) as JobStatus;
    const conditions = [...(previous.conditions ?? [])];
    const has = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
    const done = has('Complete') ?? has('Failed');
    const spec = (job.spec ?? {}) as JobSpec;
    if (done) {
      if (spec.ttlSecondsAfterFinished === undefined) return;
      const at = Date.parse(done.lastTransitionTime) + spec.ttlSecondsAfterFinished * timing.jobSecondMs;
      if (t >= at) store.delete('jobs', job.metadata.namespace, job.metadata.name, { propagationPolicy: 'Background' });
      else loop.wakeAt(at, 'jobs', key);
      return;
    }
    job = ensureDefaults(job);
    const startTime = previous.startTime ?? iso(t);
    const pods = index.owned('pods', job.metadata.uid);
    const active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    const terminating = pods.filter((p) => !isTerminal(p) && p.metadata.deletionTimestamp).length;
    const restarts = (p: KubeObject) => (((p.status ?? {}) as { containerStatuses?: { restartCount?: number }[] }).containerStatuses ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);
    const succeeded = Math.max(previous.succeeded ?? 0, pods.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Succeeded').length);
    const failedPods = pods.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Failed');
    const failed = Math.max(previous.failed ?? 0, failedPods.length);
    const completions = spec.completions ?? 1;
    const parallelism = spec.parallelism ?? 1;
    const backoffLimit = spec.backoffLimit ?? 6;
    const add = (type: string, reason: string, message: string) => conditions.push({ type, status: 'True', reason, message, lastProbeTime: iso(t), lastTransitionTime: iso(t) });

    let success = has('SuccessCriteriaMet');
    let failure = has('FailureTarget');
    if (!success && !failure) {
      const deadlineAt = spec.activeDeadlineSeconds !== undefined ? Date.parse(startTime) + spec.activeDeadlineSeconds * timing.jobSecondMs : Infinity;
      const retries = failed + pods.reduce((n, p) => n + restarts(p), 0);
      if (succeeded >= completions) {
        add('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods');
        success = has('SuccessCriteriaMet');
      } else if (t >= deadlineAt) {
        add('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline');
        events.record(job, 'Warning', 'DeadlineExceeded', 'Job was active longer than specified deadline', source);
        failure = has('FailureTarget');
      } else if (retries > backoffLimit) {
        add('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
        events.record(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', source);
        failure = has('FailureTarget');
      } else if (deadlineAt !== Infinity) loop.wakeAt(deadlineAt, 'jobs', key);
    }
    let completionTime: string | undefined;
    if (success || failure) {
      // the kubelet kills what is still running (pod activeDeadlineSeconds), so its logs stay readable until the TTL
      for (const pod of active) {
        if ((pod.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds === 1) continue;
        store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (o) => { (o.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds = 1; });
      }
      if (active.length === 0 && terminating === 0) {
        const target = (success ?? failure) as JobCondition;
        add(success ? 'Complete' : 'Failed', target.reason ?? '', target.message ?? '');
        if (success) {
          completionTime = iso(t);
          events.record(job, 'Normal', 'Completed', 'Job completed', source);
        }
        if (spec.ttlSecondsAfterFinished !== undefined) loop.wakeAt(t + spec.ttlSecondsAfterFinished * timing.jobSecondMs, 'jobs', key);
      }
    } else if (!spec.suspend) {
      const want = Math.min(parallelism, completions - succeeded) - active.length;
      const lastFailure = Math.max(0, ...failedPods.map(finishedAt));
      const allowedAt = failed > 0 ? lastFailure + backoffMs(timing.jobBackoffMs, timing.jobBackoffMs * 36, failed) : 0;
      if (want > 0 && t < allowedAt) loop.wakeAt(allowedAt, 'jobs', key);
      else {
        for (let i = 0; i < want; i++) {
          const template = (job.spec as JobSpec).template ?? {};
          const pod: NewObject = podFromTemplate(template, job, `${job.metadata.name}-`, jobLabels(job));
          const created = store.create('pods', pod);
          events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, source);
        }
      }
    }
    const live = index.owned('pods', job.metadata.uid).filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp);
    const status: JobStatus & { uncountedTerminatedPods: Record<string, never> } = {
      ...(previous.completionTime ? { completionTime: previous.completionTime } : {}),
      startTime,
      ...(completionTime ? { completionTime } : {}),
      ...(live.length ? { active: live.length } : {}),
      ready: live.filter(isReady).length,
      ...(succeeded ? { succeeded } : {}),
      ...(failed ? { failed } : {}),
      terminating: index.owned('pods', job.metadata.uid).filter((p) => !isTerminal(p) && p.metadata.deletionTimestamp).length,
      ...(conditions.length ? { conditions } : {}),
      uncountedTerminatedPods: {},
    };
    if (stableStringify(status) !== stableStringify(job.status)) store.mutate('jobs', job.metadata.namespace, job.metadata.name, (o) => { o.status = status; });
  }

  const onEvent = routeOwnedEvents({ resource: 'jobs', kind: 'Job', child: 'pods', enqueue: (c, k) => loop.enqueue(c, k) });

  return { reconcile, onEvent };
}
