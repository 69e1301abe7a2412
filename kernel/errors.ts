/** The one error type Ganglion throws on purpose: it carries an HTTP status and a stable code. */
export class GanglionError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GanglionError';
    this.status = status;
    this.code = code;
    if (options.details) this.details = options.details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new GanglionError(400, 'bad_request', message, details ? { details } : {});
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new GanglionError(404, 'not_found', message, details ? { details } : {});

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/** Turns anything thrown into what a caller may see: known errors keep their message, unknown ones leak nothing. */
export function toPublicError(err: unknown): { status: number; code: string; message: string; details?: Record<string, unknown> } {
  if (err instanceof GanglionError) {
    return { status: err.status, code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
  }
  if (isAbortError(err)) return { status: 504, code: 'timeout', message: 'the function ran past its deadline and was stopped' };
  return { status: 500, code: 'internal', message: 'internal error in the function; see its log for details' };
}
