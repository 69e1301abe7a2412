/**
 * Where the CLI's API token comes from, first match wins: --token, GANGLION_TOKEN, what `ganglion login <gateway>`
 * stored for this gateway (~/.config/ganglion/credentials.json, 0600), then the embedded stack's own admin token
 * ($GANGLION_HOME/admin-token, made by `npm start` / ./quickstart.sh), so the local user needs no setup.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../kernel/atomic-write.js';

type Env = Readonly<Record<string, string | undefined>>;

/** ~/.config/ganglion/credentials.json (XDG_CONFIG_HOME honoured). */
export function credentialsFile(env: Env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'ganglion', 'credentials.json');
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

function stored(file: string): Record<string, { token: string }> {
  const text = readText(file);
  if (!text.trim()) return {};
  const parsed = JSON.parse(text) as { gateways?: Record<string, { token: string }> };
  return parsed.gateways ?? {};
}

export function resolveToken({ flag, env, gateway, home }: { flag?: string; env: Env; gateway: string; home: string }): string | undefined {
  if (flag) return flag;
  if (env.GANGLION_TOKEN) return env.GANGLION_TOKEN;
  const saved = stored(credentialsFile(env))[gateway]?.token;
  if (saved) return saved;
  return readText(path.join(home, 'admin-token')).trim() || undefined;
}

/** Stores `token` for `gateway` (other gateways kept), the file readable by its owner only. */
export function saveToken(env: Env, gateway: string, token: string): string {
  const file = credentialsFile(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const gateways = { ...stored(file), [gateway]: { token } };
  writeFileAtomic(file, `${JSON.stringify({ gateways }, null, 2)}\n`, { mode: 0o600 });
  return file;
}
