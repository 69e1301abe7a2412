/**
 * Isolated mode's pods: each function gets <home>/functions/<name>/ with its own HOME (= GANGLION_HOME), TMPDIR and
 * secrets folder — holding only the secrets its stack.yml entry lists, as OpenFaaS mounts them at
 * /var/openfaas/secrets/<name> — and an environment like a pod's: its stack.yml environment, the cluster
 * (KUBECONFIG, as a service account gives it), the gateway (OPENFAAS_URL), LOG_LEVEL, PATH. Not the gateway's env.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';
import { SECRET } from '../kernel/secrets.js';
import type { DeployedFunction } from './function-table.js';
import type { SecretStore } from './secret-store.js';

export interface IsolatedEnvOptions {
  /** The gateway's GANGLION_HOME; functions live under <home>/functions/<name>. */
  home: string;
  store: SecretStore;
  /** The gateway's settings (process env + its `env` option); read at each start, as OPENFAAS_URL is set once it listens. */
  gatewayEnv: Readonly<Record<string, string | undefined>>;
  /** Set for every function, as `faas-cli deploy --env` would (the gateway's `env` option); secrets are left out. */
  extraEnv: Readonly<Record<string, string>>;
}

/** What a pod gets from its node and service account rather than from stack.yml. */
const FROM_GATEWAY = ['PATH', 'KUBECONFIG', 'GANGLION_KUBE_CONTEXT', 'OPENFAAS_URL', 'LOG_LEVEL', 'NODE_ENV', 'GANGLION_ALLOWED_HOSTS', 'GANGLION_ALLOWED_ORIGINS'] as const;
/** Variables that stand in for secrets: a function reads those from its secrets folder only. */
const SECRET_VARIABLES = new Set<string>(['GANGLION_APPROVAL_KEY', ...Object.values(SECRET).map((s) => s.env).filter(Boolean)]);

export interface FunctionDirs {
  root: string;
  home: string;
  tmp: string;
  secrets: string;
}

export function functionDirs(home: string, name: string): FunctionDirs {
  const root = path.join(home, 'functions', name);
  return { root, home: path.join(root, 'home'), tmp: path.join(root, 'tmp'), secrets: path.join(root, 'secrets') };
}

export function createIsolatedEnv({ home, store, gatewayEnv, extraEnv }: IsolatedEnvOptions) {
  /** Copies exactly the function's listed secrets that exist into its folder; anything else there goes. */
  function mountSecrets(fn: DeployedFunction): void {
    const dir = functionDirs(home, fn.name).secrets;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const wanted = new Set(fn.secrets.filter((s) => store.has(s)));
    for (const name of readdirSync(dir)) if (!wanted.has(name)) rmSync(path.join(dir, name), { force: true });
    for (const name of wanted) writeFileAtomic(path.join(dir, name), store.read(name) ?? '', { mode: 0o600 });
  }

  function envFor(fn: DeployedFunction): Record<string, string | undefined> {
    const dirs = functionDirs(home, fn.name);
    for (const dir of [dirs.home, dirs.tmp]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    mountSecrets(fn);
    const env: Record<string, string | undefined> = {};
    for (const name of FROM_GATEWAY) if (gatewayEnv[name]) env[name] = gatewayEnv[name];
    for (const [name, value] of Object.entries(extraEnv)) if (!SECRET_VARIABLES.has(name)) env[name] = value;
    return { ...env, ...fn.envVars, HOME: dirs.home, GANGLION_HOME: dirs.home, TMPDIR: dirs.tmp, GANGLION_SECRETS_DIR: dirs.secrets };
  }

  return {
    envFor,
    /** After a secret changed: every function listing it sees the new value (or loses it), as a secret volume does. */
    secretChanged(name: string, fns: Iterable<DeployedFunction>): void {
      for (const fn of fns) if (fn.secrets.includes(name)) mountSecrets(fn);
    },
  };
}
