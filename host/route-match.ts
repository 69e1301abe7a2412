/** Matches a method and path against routes written as '/runs/:id/approve'. */
import type { FunctionRoute } from '../function-kit/function-module.js';

export function matchRoute(routes: FunctionRoute[], method: string, path: string): { route: FunctionRoute; params: Record<string, string> } | undefined {
  const parts = path.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const want = route.path.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length; i++) {
      const w = want[i] as string;
      const p = parts[i] as string;
      if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(p);
      else if (w !== p) { ok = false; break; }
    }
    if (ok) return { route, params };
  }
  return undefined;
}
