/**
 * What a push to the CI branch sets off: find the Deployment built from the repository (annotation ganglion.dev/repo,
 * else the same name), run its tests (the run-tests function), then ask the planner to "deploy <name> version <tag>
 * and verify it works" — so approval, policy and the audit log apply exactly as for a person — and record each stage.
 */
import type { KubeAccess } from '../../cluster/kube-access.js';
import { getJson } from '../../cluster/get-json.js';
import { kubeCall } from '../../cluster/kube-errors.js';
import type { invokeFunction } from '../../events/invoke-function.js';
import { randomUUID } from 'node:crypto';
import { signedRouteHeaders } from '../../access/step-signature.js';
import { stepKey } from '../../host/step-key.js';
import type { StateClient } from '../../cluster-state/ganglion-objects.js';
import type { RuntimeConfig } from '../../kernel/config.js';
import type { Logger } from '../../kernel/logger.js';
import { deliverAll, channelUrl, type Channel } from '../../notifications/deliver.js';
import { readPipelines } from '../../ci-pipelines/ci-pipelines.js';
import type { DeliveryRecord, SaveDelivery, Stage } from './delivery-store.js';
import { repoNames, type PushEvent } from './push-event.js';
import type { RunView } from '../../events/run-schema.js';

export interface PipelineDeps {
  config: RuntimeConfig;
  kube: KubeAccess;
  /** Ganglion's objects in the home cluster: the pipelines set up, the deliveries received. */
  state: StateClient;
  log: Logger;
  now: () => Date;
  invoke: typeof invokeFunction;
  /** Injected in tests: the wait between polls of a long planner run. */
  delayFn?: (ms: number) => Promise<void>;
}

interface Target { name: string; namespace: string; repo?: string }
interface DeploymentItem { metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> } }

const stripGit = (s: string) => s.replace(/\.git$/, '').replace(/\/+$/, '');
const lastSegment = (s: string) => stripGit(s).split(/[/:]/).pop() ?? s;

/**
 * The Deployment whose ganglion.dev/repo names this repository (by URL or by its last path segment), else one named
 * like it; among the pipelines' Deployments only, when pipelines are set up for the branch.
 */
export async function findTarget(deps: PipelineDeps, push: PushEvent, only: Array<{ name: string; namespace: string }> = []): Promise<Target | undefined> {
  const c = await deps.kube.clients();
  const body = await kubeCall('list deployments in all namespaces', (signal) => getJson<{ items?: DeploymentItem[] }>(c, '/apis/apps/v1/deployments', {}, signal), { server: c.server });
  const all = body.items ?? [];
  const items = only.length ? all.filter((d) => only.some((o) => o.name === d.metadata?.name && o.namespace === d.metadata?.namespace)) : all;
  const names = repoNames(push).map(stripGit);
  const byAnnotation = items.find((d) => {
    const repo = d.metadata?.annotations?.['ganglion.dev/repo'];
    return repo && (names.includes(stripGit(repo)) || lastSegment(repo) === push.repository.name);
  });
  const d = byAnnotation ?? items.find((x) => x.metadata?.name === push.repository.name);
  if (!d?.metadata?.name) return undefined;
  const repo = d.metadata.annotations?.['ganglion.dev/repo'];
  return { name: d.metadata.name, namespace: d.metadata.namespace ?? 'default', ...(repo ? { repo } : {}) };
}

export function tagFor(template: string, push: PushEvent, branch: string): string {
  return template.replace(/\{sha\}/g, push.after).replace(/\{short\}/g, push.after.slice(0, 7)).replace(/\{branch\}/g, branch.replace(/[^\w.-]/g, '-'));
}

interface EventAnswer { status: number; type: string; data: unknown }
const dataOf = (a: EventAnswer) => (a.data && typeof a.data === 'object' ? (a.data as Record<string, unknown>) : {});
const errorText = (a: EventAnswer) => {
  const e = dataOf(a).error as { message?: unknown } | undefined;
  return typeof e?.message === 'string' ? e.message : `answered ${a.status}`;
};

/** A run-tests answer that completed can still report failing tests. */
function testsPassed(a: EventAnswer): boolean {
  if (a.status >= 400 || !a.type.endsWith('.completed')) return false;
  const d = dataOf(a).data as Record<string, unknown> | undefined;
  if (!d) return true;
  if (typeof d.failed === 'number' && d.failed > 0) return false;
  if (d.ok === false || d.passed === false || d.status === 'failed') return false;
  return true;
}

/** The planner's answer: a run, or an error body that has none of its fields. */
type RunViewLite = Partial<RunView>;

async function plannerRun(deps: PipelineDeps, text: string): Promise<RunViewLite> {
  // Signed with the step key: the planner runs it as the principal github-webhook (an operator, so changes wait for approval or policy).
  const res = await deps.invoke({ gatewayUrl: deps.config.gatewayUrl, fn: 'planner', input: { text, context: { client: 'github-webhook' } }, caller: 'github-webhook', timeoutMs: deps.config.execTimeoutMs, signKey: stepKey(deps.config) });
  let view = res.event.data as RunViewLite;
  if (res.status >= 400 && !view?.runId) throw new Error(`the planner answered ${res.status}: ${errorText({ status: res.status, type: res.event.type, data: res.event.data })}`);
  // A long rollout outlives the planner's answer ("running"): follow the run until it settles.
  const deadline = deps.now().getTime() + 30 * 60_000;
  const delay = deps.delayFn ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  while (view.status === 'running' && view.runId && deps.now().getTime() < deadline) {
    await delay(1000);
    const route = `/runs/${encodeURIComponent(view.runId)}`;
    const signed = signedRouteHeaders(stepKey(deps.config), { caller: 'github-webhook', fn: 'planner', method: 'GET', path: route, id: randomUUID() });
    const poll = await fetch(`${deps.config.gatewayUrl}/function/planner${route}`, { headers: { accept: 'application/json', ...signed } });
    view = (await poll.json()) as RunViewLite;
  }
  return view;
}

function stageOf(view: RunViewLite, fn: string, name: Stage['name']): Stage {
  const s = (view.steps ?? []).find((x) => x.fn === fn);
  if (!s) return { name, status: 'skipped', summary: `no ${fn} step in the run` };
  const status: Stage['status'] = s.status === 'completed' ? 'passed' : s.status === 'awaiting-approval' ? 'awaiting-approval' : s.status === 'failed' || s.status === 'rejected' ? 'failed' : 'skipped';
  return { name, status, summary: s.summary ?? s.error?.message ?? s.status };
}

async function announce(deps: PipelineDeps, rec: DeliveryRecord): Promise<void> {
  const channels = (['slack', 'webhook'] as Channel[]).filter((c) => channelUrl(deps.config, c));
  if (!channels.length) return;
  const ok = rec.status === 'succeeded';
  const results = await deliverAll(channels, { kind: ok ? 'info' : 'alert', title: `${ok ? '✓' : '✗'} push ${rec.commit.slice(0, 7)} to ${rec.branch}: ${rec.summary}`.slice(0, 150), lines: rec.stages.map((s) => `*${s.name}* ${s.status}: ${s.summary}`), context: `${rec.repository} · delivery ${rec.delivery}` }, { config: deps.config, now: deps.now });
  for (const r of results) if (!r.ok) deps.log.warn({ channel: r.channel, error: r.error }, 'pipeline notice not delivered');
}

/** Runs the pipeline of a claimed delivery, recording each stage in its WebhookDelivery object through `saveDelivery`. */
export async function runPipeline(deps: PipelineDeps, push: PushEvent, rec: DeliveryRecord, saveDelivery: SaveDelivery): Promise<DeliveryRecord> {
  const save = async (patch: Partial<DeliveryRecord>) => { Object.assign(rec, patch); await saveDelivery(rec); };
  const finish = async (status: DeliveryRecord['status'], summary: string) => {
    await save({ status, summary, finishedAt: deps.now().toISOString() });
    await announce(deps, rec);
    return rec;
  };
  const target = await findTarget(deps, push, (await readPipelines(deps.state)).filter((p) => p.branch === rec.branch));
  if (!target) return finish('failed', `no Deployment is built from ${push.repository.full_name ?? push.repository.name}: annotate it with ganglion.dev/repo: ${push.repository.clone_url ?? push.repository.name}`);
  const tag = tagFor(deps.config.alerts.ciTag, push, rec.branch);
  await save({ deployment: { name: target.name, namespace: target.namespace }, tag, stages: [{ name: 'tests', status: 'running', summary: `run-tests on ${rec.branch}` }] });

  const tests = await deps.invoke({ gatewayUrl: deps.config.gatewayUrl, fn: 'run-tests', input: { branch: rec.branch, ...(target.repo ? { repo: target.repo } : {}) }, caller: 'github-webhook', timeoutMs: deps.config.execTimeoutMs, signKey: stepKey(deps.config) });
  const answer = { status: tests.status, type: tests.event.type, data: tests.event.data };
  const testSummary = typeof dataOf(answer).summary === 'string' ? String(dataOf(answer).summary) : errorText(answer);
  if (!testsPassed(answer)) {
    await save({ stages: [{ name: 'tests', status: 'failed', summary: testSummary }, { name: 'deploy', status: 'skipped', summary: 'tests failed' }, { name: 'verify', status: 'skipped', summary: 'tests failed' }] });
    return finish('failed', `tests failed on ${rec.branch}; nothing deployed`);
  }
  await save({ stages: [{ name: 'tests', status: 'passed', summary: testSummary }, { name: 'deploy', status: 'running', summary: `deploy ${target.name} ${tag}` }] });

  const view = await plannerRun(deps, `Deploy ${target.name} version ${tag} and verify it works`);
  const stages = [rec.stages[0] as Stage, stageOf(view, 'deploy', 'deploy'), stageOf(view, 'verify', 'verify')];
  await save({ stages, ...(view.runId ? { runId: view.runId } : {}) });
  if (view.status === 'awaiting-approval') return finish('awaiting-approval', `tests passed; deploying ${target.name} ${tag} waits for approval (run ${view.runId ?? '?'}; ganglion runs shows it), or add deploy to the policy file`);
  if (view.status !== 'completed' || stages.some((s) => s.status !== 'passed')) return finish('failed', view.summary ?? 'the deploy run failed');
  return finish('succeeded', `tests passed, ${target.name} deployed (${tag}) and verified`);
}
