/** An API error as Kubernetes reports it: an HTTP code, a StatusReason and a v1 Status body. */

export interface StatusDetails { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number }

export class KubeStatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'KubeStatusError';
    this.code = code;
    this.reason = reason;
    if (details) this.details = details;
  }

  /** The `v1 Status` object the API server sends for this error. */
  toStatus(): { apiVersion: string; kind: string; metadata: Record<string, never>; status: string; message: string; reason: string; details?: StatusDetails; code: number } {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}
