/** Turns Kubernetes API failures into messages a person can act on, and bounds every call in time. */
import { GanglionError, isAbortError } from '../kernel/errors.js';

interface StatusBody {
  message?: string;
  reason?: string;
}

function parseStatus(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return (body ?? {}) as StatusBody;
}

/** Error → GanglionError: API status codes keep their meaning; network failures say which server and what to set. */
export function explainKubeError(err: unknown, what: string, server = 'the Kubernetes API'): GanglionError {
  if (err instanceof GanglionError) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string } };
  if (typeof e.code === 'number' && e.code >= 400) {
    const status = parseStatus(e.body);
    const message = status.message || `HTTP ${e.code}`;
    const code = e.code === 404 ? 'not_found' : e.code === 409 ? 'conflict' : e.code === 403 ? 'forbidden' : e.code === 401 ? 'unauthorized' : e.code === 422 ? 'invalid' : 'kube_error';
    const httpStatus = e.code >= 500 ? 502 : e.code;
    return new GanglionError(httpStatus, code, `${what}: ${message}`, { cause: err });
  }
  const net = typeof e.code === 'string' ? e.code : e.cause?.code;
  const reason = net ?? (err instanceof Error ? err.message : String(err));
  return new GanglionError(503, 'cluster_unreachable', `${what}: cannot reach ${server} (${reason}); check KUBECONFIG and that the cluster is up`, { cause: err });
}

/** Runs one API call with a deadline, so a stopped or hung API server fails fast with a clear reason. */
/** The call gets a signal that aborts at the deadline, so calls that honour it also close their connection. */
export async function kubeCall<T>(what: string, call: (signal: AbortSignal) => Promise<T>, { timeoutMs = 10_000, server }: { timeoutMs?: number; server?: string } = {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const abort = new AbortController();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new GanglionError(504, 'cluster_timeout', `${what}: ${server ?? 'the Kubernetes API'} did not answer within ${timeoutMs} ms; check that the cluster is up`));
      abort.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(abort.signal), deadline]);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw explainKubeError(err, what, server);
  } finally {
    clearTimeout(timer);
  }
}
