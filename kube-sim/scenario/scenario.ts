/** What a scenario is: Kubernetes objects plus the simulation section (which images exist, how each behaves once running). */

export interface LogTemplates {
  /** lines written when the container starts */
  startup?: string[];
  /** lines written every `everySeconds` while it runs ({{n}} counts up) */
  repeat?: { everySeconds: number; lines: string[] };
  /** lines written just before it exits (not on OOMKilled) */
  exit?: string[];
}

export interface ImageBehaviour {
  /** the process exits after this long with this code (0 → Completed, else Error) */
  exit?: { afterSeconds: number; exitCode: number };
  /** working-set memory reached after `afterSeconds`; above the container's memory limit → OOMKilled (137) */
  memory?: { usage: string; afterSeconds: number };
  /** a readiness probe that keeps failing (only for containers that declare a readinessProbe) */
  readiness?: { failing: boolean; message?: string };
  /** HTTP paths the app answers besides those its catalog image serves (e.g. /healthz from its own nginx config) */
  serves?: string[];
  logs?: LogTemplates;
  /** the image runs for real as kube-sim's demo HTTP app (demo-apps/demo-app.ts), one process per container */
  serve?: DemoAppSpec;
}

/** How a demo app behaves; `versions` overrides it per image tag (`"2.1": {apiStatus: 500}`). */
export interface DemoAppBehaviour {
  /** the app's main API route (default /api) */
  api?: string;
  /** the status that route answers (default 200) */
  apiStatus?: number;
  /** added to every answer of `/` and the API route */
  latencyMs?: number;
}
export interface DemoAppSpec extends DemoAppBehaviour { versions?: Record<string, DemoAppBehaviour> }

export interface Simulation {
  /** image references that can be pulled; an entry without a tag allows every tag; absent = every image exists */
  registry?: string[];
  /** behaviour per `repo:tag` or per `repo` */
  images?: Record<string, ImageBehaviour>;
}

/** A Kubernetes object as written in a scenario: the store fills uid, resourceVersion and timestamps. */
export interface ScenarioObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Scenario {
  name: string;
  objects: ScenarioObject[];
  simulation: Simulation;
}

/** `nginx` → `nginx:latest`; `docker.io/library/nginx:1.27` → `nginx:1.27`; digests kept. */
export function normaliseImage(image: string): { repo: string; tag: string; ref: string } {
  let ref = image.trim();
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/']) {
    if (ref.startsWith(prefix)) ref = ref.slice(prefix.length);
  }
  const at = ref.indexOf('@');
  if (at >= 0) return { repo: ref.slice(0, at), tag: ref.slice(at + 1), ref };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1), ref };
  return { repo: ref, tag: 'latest', ref: `${ref}:latest` };
}

/** Whether the simulated registry holds this image. Worker images always exist: they run for real. */
export function imageExists(sim: Simulation, image: string): boolean {
  if (!sim.registry || image.includes('ganglion-worker')) return true;
  const { repo, ref } = normaliseImage(image);
  return sim.registry.some((entry) => {
    const e = normaliseImage(entry);
    const hasTag = entry.includes('@') || entry.lastIndexOf(':') > entry.lastIndexOf('/');
    return hasTag ? e.ref === ref : e.repo === repo;
  });
}

export function behaviourOf(sim: Simulation, image: string): ImageBehaviour {
  const { repo, ref } = normaliseImage(image);
  const images = sim.images ?? {};
  return images[ref] ?? images[image] ?? images[repo] ?? {};
}

/** The demo app behaviour for this image's tag, when the scenario says the image runs for real (`serve:`). */
export function demoAppOf(sim: Simulation, image: string): (DemoAppBehaviour & { app: string; version: string }) | undefined {
  const serve = behaviourOf(sim, image).serve;
  if (!serve) return undefined;
  const { repo, tag } = normaliseImage(image);
  const { versions, ...base } = serve;
  return { ...base, ...(versions?.[tag] ?? {}), app: repo.slice(repo.lastIndexOf('/') + 1), version: tag };
}
