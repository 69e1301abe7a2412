/** The planner's contract: plans, the cluster facts planners resolve names against, and what a finished step reports back. */
import type { FunctionMeta } from '../../function-kit/function-module.js';
import type { PlanStep } from '../../events/run-schema.js';

/** A step of a plan: the run's step schema (events/run-schema.ts) without how it went. */
export type { PlanStep };

export interface Plan {
  steps: PlanStep[];
  /** Set instead of steps when the request is ambiguous: the planner asks back rather than guessing. */
  question?: string;
  /** Name of the intent (embedded) or a label the model gave. */
  intent?: string;
  /**
   * One line the person reads after the results: a re-plan that adds nothing says why ("review requested changes
   * (2 findings); not deployed"); a first plan may offer a next step ("to get it every Monday, say …").
   */
  conclusion?: string;
}

/** A Deployment as planners see it: compact, never a raw object dump. */
export interface DeploymentFact {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** One image per container, in container order. */
  images: string[];
  containers: string[];
  replicas: number;
  ready: number;
  /** deployment.kubernetes.io/revision, when set. */
  revision?: number;
  /** The app's git repository (annotation ganglion.dev/repo): marks "my app" for code and deploy commands. */
  repo?: string;
  /** Newest of the Deployment's rollout times (ReplicaSet creation or Progressing condition), ISO time. */
  lastRolloutAt?: string;
}

/** A pod, compact: enough to resolve "the api-server pod" and to say what is wrong. */
export interface PodFact {
  name: string;
  namespace: string;
  /** Deployment that owns it (through its ReplicaSet), when any. */
  deployment?: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Waiting/terminated reason such as CrashLoopBackOff, ImagePullBackOff, OOMKilled. */
  reason?: string;
}

export interface ClusterFacts {
  /** The kubeconfig context these facts come from. */
  cluster: string;
  /** Every context in the kubeconfig (several clusters). */
  contexts: string[];
  namespaces: string[];
  deployments: DeploymentFact[];
  /** Filled only when the command is about pods or logs (else empty); at most a few hundred, unhealthy first. */
  pods: PodFact[];
  /** Set when the cluster could not be read; planners still plan what needs no names. */
  unavailable?: string;
  /** The Monitor objects, as checks a person can run by name (one `monitor` step); absent when not read. */
  checks?: CheckFact[];
  /** Why the checks could not be read (e.g. the definitions are not installed). */
  checksUnavailable?: string;
}

/** A Monitor object as a check a person runs by name: "run the pod-health check now". */
export interface CheckFact {
  /** The Monitor's name: the monitor function's `monitor` input. */
  name: string;
  /** The rule kind (restarts, pod-health, …): "the restarts monitor" finds it by this too. */
  rule: string;
  description: string;
  schedule: string;
}

/** What a finished step reported, fed back to replan and to later steps. */
export interface StepOutcome {
  stepId: string;
  fn: string;
  status: 'completed' | 'failed';
  summary: string;
  data?: unknown;
  error?: { code: string; message: string };
}

export interface PlanRequest {
  text: string;
  /** The functions to plan with: those the gateway lists (every stack.yml function when the list cannot be read). */
  catalog: FunctionMeta[];
  /** Functions stack.yml defines that the gateway does not list: a command that needs one plans it anyway, and the run says how to deploy it. */
  missing?: FunctionMeta[];
  facts: ClusterFacts;
  signal: AbortSignal;
}

export interface PlannerOutcome {
  plan: Plan;
  /** 'embedded' or the model that planned, e.g. 'llama3.1:70b'. */
  planner: string;
  modelCalls?: number;
  notes?: string[];
}

/**
 * What the run engine shows a planner after a round whose results changed the picture. The engine has already
 * decided to ask (and counts the re-plans); the planner only answers what, if anything, comes next.
 */
export interface ReplanRequest extends PlanRequest {
  /** The run's steps so far, under the ids the run knows them by. */
  plan: Plan;
  /** Every step that ran, completed or failed. */
  results: StepOutcome[];
  /** This round's results that changed the picture, each with the engine's one-line reason (result-picture.ts). */
  changes: { stepId: string; why: string }[];
}

export interface Planner {
  name: string;
  plan(req: PlanRequest): Promise<PlannerOutcome>;
  /** Asked by the run engine when a round's results change the picture; undefined = carry on with the current plan. */
  replan?(req: ReplanRequest): Promise<PlannerOutcome | undefined>;
}
