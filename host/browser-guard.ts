/**
 * Keeps web pages from driving Ganglion through the operator's browser. A Host header that is not one of our names
 * is refused 421 (DNS rebinding: a page whose name now points at 127.0.0.1). A state-changing request that a browser
 * marks as coming from another site (its Origin, or Sec-Fetch-Site cross-site/same-site) is refused 403 (CSRF).
 * The CLI, faas-cli, curl and cron-connector send neither header, so they pass untouched.
 */
import net from 'node:net';
import { GanglionError } from '../kernel/errors.js';

type Headers = Record<string, string | string[] | undefined>;

export interface BrowserGuardOptions {
  /** Further names (".example.com" = that domain and its subdomains; "*" = any); GANGLION_ALLOWED_HOSTS. */
  allowedHosts?: string[];
  /** Origins whose pages may send state-changing requests; GANGLION_ALLOWED_ORIGINS. */
  allowedOrigins?: string[];
  /** Our own URLs or host names: the bound address, OPENFAAS_URL. */
  ownHosts?: string[];
}

export type BrowserGuard = (method: string, headers: Headers) => GanglionError | undefined;

/** Names a rebinding page cannot be served under: reserved or cluster-internal suffixes nobody can register. */
const INTERNAL_SUFFIXES = ['.localhost', '.svc', '.cluster.local', '.openfaas', '.openfaas-fn'];
const NAMED = ['localhost', 'gateway', 'gateway.openfaas', 'gateway.openfaas.svc.cluster.local'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The host name of a Host header or URL, lower-case, without port, brackets or a trailing dot. */
function nameOf(hostOrUrl: string): string {
  let host = hostOrUrl.trim().toLowerCase();
  if (host.includes('://')) {
    try { host = new URL(host).hostname; } catch { return ''; }
  } else if (host.startsWith('[')) host = host.slice(1, host.indexOf(']') < 0 ? undefined : host.indexOf(']'));
  else if (host.split(':').length === 2) host = host.slice(0, host.indexOf(':'));
  return host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** scheme://host:port with the scheme's default port filled in, so "http://localhost" and Host "localhost:80" compare equal. */
function originKey(origin: URL): string {
  const port = origin.port || (origin.protocol === 'https:' ? '443' : '80');
  return `${origin.hostname.toLowerCase()}:${port}`;
}

function sameOrigin(origin: URL, host: string): boolean {
  try {
    return originKey(origin) === originKey(new URL(`${origin.protocol}//${host}`));
  } catch {
    return false; // a Host that is not a host[:port] matches nothing
  }
}

export function createBrowserGuard({ allowedHosts = [], allowedOrigins = [], ownHosts = [] }: BrowserGuardOptions = {}): BrowserGuard {
  const anyHost = allowedHosts.includes('*');
  const names = new Set([...NAMED, ...ownHosts.map(nameOf), ...allowedHosts.filter((h) => !h.startsWith('.')).map(nameOf)]);
  const suffixes = [...INTERNAL_SUFFIXES, ...allowedHosts.filter((h) => h.startsWith('.')).map((h) => h.toLowerCase())];
  const origins = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));

  function hostAllowed(host: string): boolean {
    const name = nameOf(host);
    if (anyHost || names.has(name)) return true;
    // A rebinding page is served under a name: an address literal in Host is a client that dialled us directly.
    if (net.isIP(name)) return true;
    // Pod, Service and container names (planner, gateway): no public DNS answers for a name without a dot.
    if (name !== '' && !name.includes('.')) return true;
    return suffixes.some((s) => name.endsWith(s) || name === s.slice(1));
  }

  function crossSite(method: string, headers: Headers, host: string | undefined): string | undefined {
    if (SAFE_METHODS.has(method)) return undefined;
    const origin = one(headers.origin);
    if (origin !== undefined) {
      if (origins.has(origin.replace(/\/+$/, '').toLowerCase())) return undefined;
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return `its Origin "${origin.slice(0, 100)}" is not a URL`;
      }
      if (origin === 'null' || !host) return `its Origin is ${origin.slice(0, 100)}`;
      // Behind the gateway, Host is the function's own address and X-Forwarded-Host the one the browser used
      // (a page cannot set X-Forwarded-Host on a request it sends elsewhere without the server's consent).
      const forwarded = one(headers['x-forwarded-host']);
      const same = [host, forwarded].some((h) => h !== undefined && sameOrigin(url, h));
      return same ? undefined : `it comes from a page at ${url.origin}`;
    }
    const site = one(headers['sec-fetch-site']);
    if (site === 'cross-site' || site === 'same-site') return `the browser marks it Sec-Fetch-Site: ${site}`;
    return undefined;
  }

  return function browserGuard(method, headers) {
    const host = one(headers.host);
    // HTTP/1.0 clients may leave Host out; a browser never does.
    if (host !== undefined && !hostAllowed(host)) {
      return new GanglionError(421, 'host_not_allowed', `Host "${host.slice(0, 100)}" is not a name this server answers to (a page rebinding its name to this address is refused); add it to GANGLION_ALLOWED_HOSTS if you serve Ganglion under it`);
    }
    const why = crossSite(method, headers, host);
    if (why) {
      return new GanglionError(403, 'cross_site_request', `${method} refused: ${why}, and web pages may not change anything here; use the ganglion CLI, faas-cli or curl, or add the page's origin to GANGLION_ALLOWED_ORIGINS`);
    }
    return undefined;
  };
}
