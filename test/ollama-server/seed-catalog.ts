/** A stable stand-in for Ganglion's full function catalog, shaped like the issues describe each function, for brain tests and the bench. */
import { z } from 'zod';
import { defineMeta, type FunctionMeta } from '../../runtime/function-module.js';

const cluster = z.string().min(1).optional().describe('kubeconfig context (cluster); default: the configured one');
const namespace = z.string().optional().describe('namespace; default: all');
const dryRun = z.boolean().default(false);
const deployment = z.string().min(1).describe('Deployment name');
const repo = z.string().optional().describe('git repository; default: the app\'s ganglion.dev/repo');
const notify = z.enum(['slack', 'webhook', 'none']).default('slack').describe('where alerts go');

const fn = (name: string, description: string, shape: z.ZodRawShape, mutates = false, examples: string[] = []): FunctionMeta =>
  defineMeta({ name, description, input: z.object(shape), mutates, examples });

export const seedCatalog: FunctionMeta[] = [
  fn('cluster-status', 'Cluster overview: nodes, namespaces, Deployments ready/desired, pods by phase, what is unhealthy', { cluster, namespace }, false, ['Show me cluster status']),
  fn('failing-pods', 'Every unhealthy pod with the reason to act on (CrashLoopBackOff, ImagePullBackOff, Pending, OOMKilled, probes)', { cluster, namespace }, false, ['List all failing pods']),
  fn('pod-logs', 'Tail of a pod\'s logs, resolving "api-server" to the right pod; previous container\'s logs when it crashed', {
    name: z.string().min(1).describe('pod, Deployment or app name, or close to one'), namespace, cluster,
    tailLines: z.number().int().min(1).max(10_000).default(100).describe('lines from the end'),
  }, false, ['Get logs from the api-server pod']),
  fn('deploy', 'Set a Deployment\'s image tag, wait for the rollout, check pods Ready; roll back on failure by policy', {
    name: deployment, namespace, cluster, tag: z.string().min(1).describe('new image tag, e.g. 2.0'), dryRun,
  }, true, ['Deploy placemyparents version 2.0']),
  fn('rollback', 'Undo the last rollout of a Deployment as kubectl rollout undo does; default: the most recent rollout', {
    name: deployment.optional(), namespace, cluster, dryRun,
  }, true, ['Roll back the last deployment']),
  fn('scale', 'Set replicas of Deployments chosen by name or label selector, wait until ready', {
    name: deployment.optional(), selector: z.string().optional().describe('label selector, e.g. tier=web'), namespace, cluster,
    replicas: z.number().int().min(0).max(50), dryRun,
  }, true, ['Scale the web tier to 5 replicas']),
  fn('restart', 'Rolling restart of a Deployment (kubectl rollout restart)', { name: deployment, namespace, cluster, dryRun }, true),
  fn('code-review', 'Review the latest commit in a Job: secrets, large files, debug leftovers, untested code; findings and a verdict', {
    repo, ref: z.string().default('HEAD').describe('commit or branch'),
  }, false, ['Review the latest commit']),
  fn('run-tests', 'Run the repository\'s tests on a branch in a Job; passed/failed/skipped and each failure', {
    repo, branch: z.string().default('main'),
  }, false, ['Run tests on the staging branch']),
  fn('coverage', 'Run tests with coverage in a Job; totals and least-covered files', { repo, branch: z.string().default('main') }, false, ['Check code coverage']),
  fn('verify', 'After a deploy: pods Ready, restarts stable, HTTP smoke checks against the Service, in a Job', { name: deployment, namespace, cluster }, false),
  fn('monitor', 'Create a monitor rule checked on a schedule, alerting once per incident', {
    rule: z.enum(['restarts', 'not-ready', 'node-not-ready', 'deployment-unavailable', 'pod-health']),
    threshold: z.number().int().min(1).optional().describe('e.g. restarts more than N'),
    schedule: z.string().default('*/5 * * * *').describe('cron'), notify, namespace,
  }, true, ['Alert me if any pod restarts more than 3 times']),
  fn('report', 'Infrastructure report (nodes, workloads, restarts, rollouts, alerts); with a schedule, sends it regularly', {
    schedule: z.string().optional().describe('cron; empty = once now'), notify,
  }, true, ['Generate a weekly infrastructure report']),
  fn('ci-pipeline', 'On a push to a branch (GitHub webhook): run tests, deploy, verify', {
    branch: z.string().default('main'), name: deployment, namespace,
  }, true, ['When main branch updates, test and deploy automatically']),
  fn('security-audit', 'Audit running pod specs and images (root, privileged, hostPath, :latest, no limits), ranked by severity', { cluster, namespace }, false),
  fn('config-sync', 'Diff ConfigMaps (Secrets only when asked) from one cluster to another and apply the diff', {
    from: z.string().describe('source context'), to: z.string().describe('target context'), namespace, secrets: z.boolean().default(false), dryRun,
  }, true, ['Sync config from prod to staging']),
  fn('analyze-logs', 'Group error patterns across pods, flag new or rising ones, suggest a fix for each', { namespace, cluster, sinceMinutes: z.number().int().min(1).default(60) }, false),
  fn('notify', 'Send a message to Slack or a webhook', { text: z.string().min(1), channel: notify }, true),
];
