/**
 * Error patterns in log lines, pure: each error line gets a category (OOM, connection refused, timeout, DNS, TLS,
 * auth, disk full, HTTP 5xx, exception, error) and a normalised signature — numbers, addresses, ids and quoted
 * values replaced — so the same failure from many pods and many times groups into one pattern with a fix.
 */

export type Category = 'oom' | 'connection-refused' | 'timeout' | 'dns' | 'tls' | 'auth' | 'disk-full' | 'http-5xx' | 'exception' | 'error';

const RULES: Array<[Category, RegExp]> = [
  ['oom', /\b(out of memory|OOMKilled|OutOfMemoryError|heap out of memory|Cannot allocate memory|memory limit exceeded)\b/i],
  ['connection-refused', /\b(ECONNREFUSED|connection refused|ECONNRESET|connection reset by peer|could not connect|unable to connect|failed to connect)\b/i],
  ['dns', /\b(ENOTFOUND|EAI_AGAIN|no such host|NXDOMAIN|Name or service not known|could not resolve)\b/i],
  ['tls', /\b(x509|certificate (has expired|is not valid|signed by unknown)|TLS handshake|SSL routines)\b/i],
  ['timeout', /\b(ETIMEDOUT|ESOCKETTIMEDOUT|timed? ?out|deadline exceeded|took too long)\b/i],
  ['disk-full', /\b(ENOSPC|No space left on device|disk (is )?full)\b/i],
  ['auth', /\b(unauthori[sz]ed|forbidden|permission denied|access denied|authentication failed|EACCES)\b/i],
  // [^"] is bounded: unbounded, every unclosed `"GET ` would rescan the rest of the line
  ['http-5xx', /"\s?(?:GET|POST|PUT|PATCH|DELETE|HEAD) [^"]{0,2048}"\s5\d\d\b|\b(?:status(?:Code)?|code)["=: ]+5\d\d\b|\b5\d\d (?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b/i],
  ['exception', /\b(Exception|Traceback \(most recent call last\)|panic:|Uncaught|unhandled (promise )?rejection|Segmentation fault|triggerUncaughtException)\b|^\s*at [^()]*\([^()]*:\d+:\d+\)$/],
  ['error', /\b(fatal|error|err|critical|crit)\b|"level":\s*"(error|fatal|critical)"|level=(error|fatal)/i],
];

/**
 * A line is judged by its first MAX_LINE_CHARS characters: what makes an error recognisable comes first, and with
 * every pattern run over a bounded text the work is linear in the log's size however long one line is.
 */
export const MAX_LINE_CHARS = 4096;

/** Stack frames and lone punctuation carry no pattern of their own: they belong to the error above them. */
const NOISE = /^\s*(at\s|\^|[{}[\](),]*$|\w+: .*,$|node:internal)/;

export function categorise(whole: string): Category | undefined {
  const line = whole.length > MAX_LINE_CHARS ? whole.slice(0, MAX_LINE_CHARS) : whole;
  if (!line.trim() || NOISE.test(line)) return undefined;
  for (const [cat, re] of RULES) if (re.test(line)) return cat;
  return undefined;
}

/** The line with what varies between occurrences replaced: `connect ECONNREFUSED <ip>:<n>`. */
export function signature(whole: string): string {
  return whole.slice(0, MAX_LINE_CHARS)
    .replace(/^\s*(\d{4}-\d\d-\d\d[T ][\d:.]+Z?|\[[^\]]{0,64}\d\d:\d\d[^\]]{0,64}\])\s*/, '')
    .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<hex>')
    .replace(/"(?:requestId|traceId|id|pid|ts|time)":\s*"?[^",}]*"?/g, (m) => m.replace(/:\s*.*$/, ':<v>'))
    .replace(/\b(req|request|trace|pod|job)-[\w-]+/gi, '$1-<id>')
    .replace(/\b\d+(\.\d+)?(ms|s|m|h|Mi|Gi|Ki|MB|GB|KB|%)?\b/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** What to do about a category, with the specifics a line gives (the address refused, the memory limit). */
export function suggestFix(cat: Category, sample: string, context: { memoryLimit?: string; owner?: string }): string {
  const addr = /(\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9.-]{1,253}\.svc(?:\.cluster\.local)?)(?::(\d+))?/i.exec(sample.slice(0, MAX_LINE_CHARS));
  const target = addr ? `${addr[1]}${addr[2] ? `:${addr[2]}` : ''}` : 'the dependency';
  switch (cat) {
    case 'oom': return `raise the memory limit${context.memoryLimit ? ` (now ${context.memoryLimit})` : ''} of ${context.owner ?? 'the workload'} or find what grows; kubectl top pod shows usage`;
    case 'connection-refused': return `nothing accepts connections at ${target}: check that the Service there has ready endpoints (kubectl get endpoints), that the address/port in the app's config is right, and add retries with back-off at start-up`;
    case 'dns': return 'a host name does not resolve: check the Service name and namespace in the config (<svc>.<ns>.svc.cluster.local) and that CoreDNS is healthy';
    case 'tls': return 'a certificate is expired or untrusted: renew it (cert-manager: kubectl get certificates) or mount the right CA bundle';
    case 'timeout': return `calls to ${target} time out: check that service's latency and health, and set explicit client timeouts with retries`;
    case 'disk-full': return 'a volume or the node disk is full: clean up or grow the PVC/emptyDir, and set ephemeral-storage limits';
    case 'auth': return 'credentials are refused: check the Secret the app reads and the service account\'s RBAC (kubectl auth can-i)';
    case 'http-5xx': return 'the app answers 5xx: read the matching exception lines above it and check its dependencies';
    case 'exception': return 'an unhandled exception: read the stack trace in the pod logs (ganglion "Get logs from the … pod") and handle the failing call';
    case 'error': return 'errors are logged: read the lines around them in the pod logs; if they follow a dependency failure, fix that first';
  }
}
