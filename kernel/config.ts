/** The one place that reads the environment: named defaults, validated once, passed down. */
import path from 'node:path';
import { GanglionError } from './errors.js';

export interface RuntimeConfig {
  /** Where state lives: run store, audit log, queue, kubeconfig of kube-sim. */
  home: string;
  /** Port a function (or the gateway) listens on. */
  port: number;
  /** The OpenFaaS gateway functions call back through (planner → steps). */
  gatewayUrl: string;
  /** Path list of kubeconfig files; empty = the client's defaults (~/.kube/config, then in-cluster). */
  kubeconfig: string;
  /** Named kubeconfig context; empty = current-context. */
  kubeContext: string;
  /** Ollama endpoint; empty = the embedded planner only. */
  ollamaHost: string;
  /**
   * GANGLION_CLUSTER_PROXY: an HTTP proxy that reaches the cluster's Services by DNS name (kube-sim's cluster proxy,
   * which kube-sim hands to the processes it runs); empty = reach them directly, as a pod on a real cluster does.
   */
  clusterProxy: string;
  /** Model tiers, largest first. */
  models: string[];
  logLevel: string;
  maxBodyBytes: number;
  /** Per-invocation deadline of a function, as of-watchdog's exec_timeout. */
  execTimeoutMs: number;
  /** Raw environment for functions that pass values on (secrets dir, etc.). */
  env: Readonly<Record<string, string | undefined>>;
  /** The embedded OpenFaaS-compatible gateway (npm start). */
  gateway: GatewayConfig;
  /** Budgets of the Ollama planner (used when OLLAMA_HOST is set). */
  brain: BrainConfig;
  /** The planner function's run engine. */
  planner: PlannerConfig;
  /** Monitors, notify, report and the GitHub webhook. */
  alerts: AlertConfig;
  /** GANGLION_REPO: the git repository (URL, file:// or local path) code operations read when neither the input nor the app's `ganglion.dev/repo` annotation names one. */
  repo: string;
  /** GANGLION_REPO_ALLOW: comma-separated https/ssh URL prefixes a caller may name as `repo` (empty: only the annotations and GANGLION_REPO). */
  repoAllow: string[];
  /** GANGLION_SCANNER_IMAGE: the image security-audit runs as its scanner Job; empty = spec audit only. */
  scannerImage: string;
  /**
   * GANGLION_ANONYMOUS_SUMMARIES=true: callers without a token may run the functions whose meta says `summary`
   * (cluster-status: counts and names, never logs, config or secrets). Off by default: every call needs a token.
   */
  anonymousSummaries: boolean;
  /** Worker agents run as Kubernetes Jobs. */
  workers: WorkerConfig;
  /** Ganglion's own objects (ganglion.dev custom resources) in the cluster. */
  state: StateConfig;
  /** What the gateway and every function's own server accept from browsers. */
  browser: BrowserConfig;
}

export interface BrowserConfig {
  /**
   * GANGLION_ALLOWED_HOSTS: comma list of further names the Host header may carry (".example.com" for a domain and
   * its subdomains, "*" for any). Always accepted: IP addresses, single-label names, localhost, in-cluster names
   * (*.svc, *.cluster.local, *.openfaas, *.openfaas-fn), the bound host and the host of OPENFAAS_URL.
   */
  allowedHosts: string[];
  /** GANGLION_ALLOWED_ORIGINS: comma list of origins (scheme://host[:port]) whose pages may send state-changing requests. */
  allowedOrigins: string[];
}

export interface StateConfig {
  /** GANGLION_STATE_NAMESPACE (default "ganglion"): where runs, monitors, approvals and audit records live. */
  namespace: string;
  /** GANGLION_RETAIN_RUNS (default 1000): runs (and webhook deliveries) kept; the oldest finished ones beyond are pruned. */
  keepRuns: number;
  /** GANGLION_RETAIN_AUDIT (default 100000): audit records kept. */
  keepAudit: number;
  /** GANGLION_RETAIN_DAYS (default 90): anything older is pruned, whatever the counts. */
  keepDays: number;
  /** GANGLION_STEP_OUTPUT_BYTES (default 65536): a step's output above this is trimmed (with a note) before it is stored. */
  stepOutputBytes: number;
}

export interface WorkerConfig {
  /** GANGLION_WORKER_NAMESPACE (default "default"): where worker Jobs run. */
  namespace: string;
  /** GANGLION_WORKER_IMAGE: the image holding `ganglion-worker` (kube-sim runs it as a real process). */
  image: string;
  /** GANGLION_WORKER_DEADLINE_S (default 600): a Job's activeDeadlineSeconds. */
  deadlineSeconds: number;
  /** GANGLION_WORKER_TTL_S (default 300): a finished Job's ttlSecondsAfterFinished. */
  ttlSeconds: number;
}

/** Secrets are read from files as OpenFaaS mounts them (<secretsDir>/<name>) first, then from these variables. */
export interface AlertConfig {
  /** GANGLION_SECRETS_DIR (default /var/openfaas/secrets): where OpenFaaS mounts function secrets, one file each. */
  secretsDir: string;
  /** SLACK_WEBHOOK_URL (secret slack-webhook-url): the Slack incoming webhook alerts and reports go to. */
  slackWebhookUrl: string;
  /** GANGLION_ALERT_WEBHOOK_URL (secret alert-webhook-url): a generic JSON webhook. */
  alertWebhookUrl: string;
  /** GANGLION_ALERT_WEBHOOK_SECRET (secret alert-webhook-secret): HMAC-SHA256 key signing generic webhook bodies. */
  alertWebhookSecret: string;
  /** GITHUB_WEBHOOK_SECRET (secret github-webhook-secret): the secret GitHub signs push webhooks with. */
  githubWebhookSecret: string;
  /** GANGLION_NOTIFY_ATTEMPTS (default 4): tries per notification (5xx, 429 and network errors are retried). */
  notifyAttempts: number;
  /** GANGLION_NOTIFY_RETRY_MS (default 500): first retry delay, doubled each time. */
  notifyRetryMs: number;
  /** GANGLION_CI_BRANCH (default main): pushes to this branch run test → deploy → verify. */
  ciBranch: string;
  /** GANGLION_CI_TAG (default {short}): the image tag a push deploys; {sha}, {short} and {branch} are filled in. */
  ciTag: string;
}

export interface PlannerConfig {
  /** GANGLION_STACK: the stack.yml whose functions form the planner's catalog; empty = the repository's stack.yml. */
  stackFile: string;
  /** GANGLION_PLANNER_WAIT_MS (default 50000): a command's answer waits this long, then says "running" (faas-cli gives up at 60 s). */
  waitMs: number;
  /** GANGLION_APPROVAL_TTL_MS (default 3600000): how long an approval token stays valid. */
  approvalTtlMs: number;
  /** GANGLION_CATALOG_TTL_MS (default 15000): how long the gateway's list of deployed functions is reused; a plan naming an unlisted function reads it again. */
  catalogTtlMs: number;
}

/** Defaults suit a 70B model on an Apple-silicon Mac: a plan answer takes 10–60 s there, an 8B one 1–5 s. */
export interface BrainConfig {
  /** GANGLION_BRAIN_TIMEOUT_MS (default 90000): one model answer, start to end; past it the embedded planner takes over. */
  callTimeoutMs: number;
  /** GANGLION_BRAIN_CONNECT_MS (default 5000): reaching Ollama (GET /api/tags); a down or unreachable brain costs at most this. */
  connectTimeoutMs: number;
  /** GANGLION_BRAIN_RUN_MS (default 600000): wall-clock after which a run asks the model nothing more. */
  runBudgetMs: number;
  /** GANGLION_BRAIN_MAX_CALLS (default 6): model calls per run, repairs and re-plans included. */
  maxModelCalls: number;
  /** GANGLION_BRAIN_MAX_REPLANS (default 2): re-plans per run, counted by the run engine whichever planner plans; 0 turns re-planning off. */
  maxReplans: number;
  /** GANGLION_BRAIN_RESULT_BYTES (default 4096): bytes of one tool result shown to the model (truncated with a marker). */
  resultBytes: number;
  /** GANGLION_BRAIN_KEEP_ALIVE (default 30m): how long Ollama keeps the model loaded. */
  keepAlive: string;
  /** GANGLION_BRAIN_NUM_CTX (default 8192): context window asked of Ollama. */
  numCtx: number;
}

export type GatewayMode = 'shared' | 'process' | 'isolated';

export interface GatewayConfig {
  /** GANGLION_DEMO_APPS=false: `npm start`'s kube-sim simulates the demo apps instead of running them as processes (default true). */
  demoApps: boolean;
  /** GANGLION_PORT (default 8080). */
  port: number;
  /**
   * GANGLION_GATEWAY_MODE: 'shared' (one process, the default), 'process' (one process per function) or 'isolated'
   * (one process per function with its own HOME, secrets and a pod's environment, as OpenFaaS runs it).
   */
  mode: GatewayMode;
  /** GANGLION_GATEWAY_PASSWORD; empty = generated once into $GANGLION_HOME/basic-auth-password. */
  password: string;
  /** GANGLION_ASYNC_CONCURRENCY: async invocations run at once. */
  asyncConcurrency: number;
  /** GANGLION_ASYNC_MAX_ATTEMPTS: tries before an async invocation goes to the dead-letter list. */
  asyncMaxAttempts: number;
  /** GANGLION_ASYNC_RETRY_MS: first retry delay, doubled each time up to 60 s. */
  asyncRetryMs: number;
  /** GANGLION_CALLBACK_ALLOW: comma list of hosts or CIDRs a callback may reach despite the link-local/metadata rule. */
  callbackAllow: string[];
  /** GANGLION_HOST: address the gateway binds (default 127.0.0.1). */
  host: string;
  /** GANGLION_STACK_FILE: the stack file npm start serves (default ./stack.yml). */
  stackFile: string;
  /** GANGLION_CRON_ASYNC: cron fires go through the durable async queue (retried), like cron-connector's asynchronous_invocation. */
  cronAsync: boolean;
  /** GANGLION_ASYNC_MAX_PENDING (default 10000): queued async invocations; a submission beyond is a 429 with Retry-After. */
  asyncMaxPending: number;
  /** GANGLION_ASYNC_MAX_BYTES (default 256 MiB): bytes of queued async bodies; a submission beyond is a 429 with Retry-After. */
  asyncMaxBytes: number;
  /** GANGLION_HEADERS_TIMEOUT_MS (default 30000): a client must have sent its request headers within this. */
  headersTimeoutMs: number;
  /** GANGLION_REQUEST_TIMEOUT_MS (default 120000): a client must have sent its whole request within this. */
  requestTimeoutMs: number;
  /** GANGLION_MAX_CONNECTIONS (default 1024): open connections at once; more are closed as they arrive. */
  maxConnections: number;
}

/** Parses Go-style durations as OpenFaaS writes them ("10s", "2m", "1m30s", "500ms") or plain seconds. */
export function parseDurationMs(value: string, name: string): number {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = '';
  for (const m of trimmed.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    consumed += m[0];
  }
  if (consumed !== trimmed || consumed === '') {
    throw new GanglionError(500, 'bad_config', `${name}="${value}" is not a duration; use a value such as 30s, 2m or 1m30s`);
  }
  return total;
}

function intFrom(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new GanglionError(500, 'bad_config', `${name}="${raw}" must be a non-negative integer`);
  return n;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const home = path.resolve(env.GANGLION_HOME || '.ganglion');
  const models = (env.GANGLION_MODELS || 'llama3.1:405b,llama3.1:70b,llama3.1:8b')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  return {
    home,
    port: intFrom(env, 'PORT', 8080),
    gatewayUrl: (env.OPENFAAS_URL || env.GANGLION_GATEWAY_URL || 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    kubeconfig: env.KUBECONFIG || '',
    kubeContext: env.GANGLION_KUBE_CONTEXT || '',
    ollamaHost: env.OLLAMA_HOST || '',
    clusterProxy: proxyUrl(env.GANGLION_CLUSTER_PROXY),
    models,
    logLevel: env.LOG_LEVEL || 'warn',
    maxBodyBytes: intFrom(env, 'GANGLION_MAX_BODY_BYTES', 4 * 1024 * 1024),
    execTimeoutMs: env.exec_timeout ? parseDurationMs(env.exec_timeout, 'exec_timeout') : 120_000,
    env: { ...env },
    gateway: {
      port: intFrom(env, 'GANGLION_PORT', 8080),
      mode: gatewayMode(env.GANGLION_GATEWAY_MODE),
      password: env.GANGLION_GATEWAY_PASSWORD || '',
      asyncConcurrency: Math.max(1, intFrom(env, 'GANGLION_ASYNC_CONCURRENCY', 4)),
      asyncMaxAttempts: Math.max(1, intFrom(env, 'GANGLION_ASYNC_MAX_ATTEMPTS', 5)),
      asyncRetryMs: intFrom(env, 'GANGLION_ASYNC_RETRY_MS', 1000),
      callbackAllow: (env.GANGLION_CALLBACK_ALLOW || '').split(',').map((v) => v.trim()).filter(Boolean),
      host: env.GANGLION_HOST || '127.0.0.1',
      demoApps: env.GANGLION_DEMO_APPS !== 'false',
      stackFile: path.resolve(env.GANGLION_STACK_FILE || 'stack.yml'),
      cronAsync: env.GANGLION_CRON_ASYNC === 'true' || env.GANGLION_CRON_ASYNC === '1',
      asyncMaxPending: Math.max(1, intFrom(env, 'GANGLION_ASYNC_MAX_PENDING', 10_000)),
      asyncMaxBytes: Math.max(1024, intFrom(env, 'GANGLION_ASYNC_MAX_BYTES', 256 * 1024 * 1024)),
      headersTimeoutMs: Math.max(1000, intFrom(env, 'GANGLION_HEADERS_TIMEOUT_MS', 30_000)),
      requestTimeoutMs: Math.max(1000, intFrom(env, 'GANGLION_REQUEST_TIMEOUT_MS', 120_000)),
      maxConnections: Math.max(1, intFrom(env, 'GANGLION_MAX_CONNECTIONS', 1024)),
    },
    browser: {
      allowedHosts: list(env.GANGLION_ALLOWED_HOSTS),
      allowedOrigins: list(env.GANGLION_ALLOWED_ORIGINS),
    },
    brain: {
      callTimeoutMs: Math.max(1, intFrom(env, 'GANGLION_BRAIN_TIMEOUT_MS', 90_000)),
      connectTimeoutMs: Math.max(1, intFrom(env, 'GANGLION_BRAIN_CONNECT_MS', 5_000)),
      runBudgetMs: intFrom(env, 'GANGLION_BRAIN_RUN_MS', 600_000),
      maxModelCalls: intFrom(env, 'GANGLION_BRAIN_MAX_CALLS', 6),
      maxReplans: intFrom(env, 'GANGLION_BRAIN_MAX_REPLANS', 2),
      resultBytes: Math.max(256, intFrom(env, 'GANGLION_BRAIN_RESULT_BYTES', 4_096)),
      keepAlive: env.GANGLION_BRAIN_KEEP_ALIVE || '30m',
      numCtx: Math.max(2048, intFrom(env, 'GANGLION_BRAIN_NUM_CTX', 8_192)),
    },
    planner: {
      stackFile: env.GANGLION_STACK || '',
      waitMs: intFrom(env, 'GANGLION_PLANNER_WAIT_MS', 50_000),
      approvalTtlMs: Math.max(1000, intFrom(env, 'GANGLION_APPROVAL_TTL_MS', 3_600_000)),
      catalogTtlMs: intFrom(env, 'GANGLION_CATALOG_TTL_MS', 15_000),
    },
    alerts: {
      secretsDir: env.GANGLION_SECRETS_DIR || '/var/openfaas/secrets',
      slackWebhookUrl: env.SLACK_WEBHOOK_URL || '',
      alertWebhookUrl: env.GANGLION_ALERT_WEBHOOK_URL || '',
      alertWebhookSecret: env.GANGLION_ALERT_WEBHOOK_SECRET || '',
      githubWebhookSecret: env.GITHUB_WEBHOOK_SECRET || '',
      notifyAttempts: Math.max(1, intFrom(env, 'GANGLION_NOTIFY_ATTEMPTS', 4)),
      notifyRetryMs: intFrom(env, 'GANGLION_NOTIFY_RETRY_MS', 500),
      ciBranch: env.GANGLION_CI_BRANCH || 'main',
      ciTag: env.GANGLION_CI_TAG || '{short}',
    },
    repo: env.GANGLION_REPO || '',
    repoAllow: (env.GANGLION_REPO_ALLOW ?? '').split(',').map((p) => p.trim()).filter(Boolean),
    scannerImage: env.GANGLION_SCANNER_IMAGE?.trim() || '',
    anonymousSummaries: /^(1|true|yes)$/i.test(env.GANGLION_ANONYMOUS_SUMMARIES?.trim() ?? ''),
    workers: {
      namespace: env.GANGLION_WORKER_NAMESPACE || 'default',
      image: env.GANGLION_WORKER_IMAGE || 'ghcr.io/ganglion/ganglion-worker:0.1.0',
      deadlineSeconds: Math.max(1, intFrom(env, 'GANGLION_WORKER_DEADLINE_S', 600)),
      ttlSeconds: intFrom(env, 'GANGLION_WORKER_TTL_S', 300),
    },
    state: {
      namespace: env.GANGLION_STATE_NAMESPACE || 'ganglion',
      keepRuns: Math.max(1, intFrom(env, 'GANGLION_RETAIN_RUNS', 1000)),
      keepAudit: Math.max(1, intFrom(env, 'GANGLION_RETAIN_AUDIT', 100_000)),
      keepDays: Math.max(1, intFrom(env, 'GANGLION_RETAIN_DAYS', 90)),
      stepOutputBytes: Math.max(1024, intFrom(env, 'GANGLION_STEP_OUTPUT_BYTES', 65_536)),
    },
  };
}

const list = (raw: string | undefined) => (raw || '').split(',').map((v) => v.trim()).filter(Boolean);

function proxyUrl(raw: string | undefined): string {
  const value = raw?.trim() ?? '';
  if (!value) return '';
  if (!URL.canParse(value) || new URL(value).protocol !== 'http:') throw new GanglionError(500, 'bad_config', `GANGLION_CLUSTER_PROXY="${value}" must be an http:// URL such as http://127.0.0.1:8001`);
  return value.replace(/\/+$/, '');
}

function gatewayMode(raw: string | undefined): GatewayMode {
  if (!raw || raw === 'shared') return 'shared';
  if (raw === 'process' || raw === 'isolated') return raw;
  throw new GanglionError(500, 'bad_config', `GANGLION_GATEWAY_MODE="${raw}" must be "shared", "process" or "isolated"`);
}
