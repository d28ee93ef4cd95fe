// ApiError: every failure the client reports, whether the server answered with the contract's
// error body, with something else (a proxy's HTML page), or not at all.

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'failed_precondition',
  429: 'throttled',
  500: 'internal',
  503: 'unavailable',
  504: 'timeout',
};

export class ApiError extends Error {
  /** HTTP status; 0 when no answer came (network down, server stopped). */
  readonly status: number;
  /** The contract's error code (`not_found`, ...), guessed from the status when the body had none. */
  readonly code: string;
  readonly requestId: string | null;
  /** Seconds to wait before trying again (the Retry-After of a 429 or 503); null when not said. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    requestId: string | null = null,
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.retryAfter = retryAfter;
  }

  /** True for the sign-in refusal that asks for a one-time code (message "otp: ..."). */
  get needsOtp(): boolean {
    return this.status === 401 && this.message.startsWith('otp:');
  }

  /** True for a sign-in (or re-authentication) slowed after failures: nothing was checked. */
  get throttled(): boolean {
    return this.status === 429;
  }

  /** True when a global-admin or MFA-required environment's route wants an MFA-verified session. */
  get needsMfaSession(): boolean {
    return this.status === 403 && this.message.includes('MFA-verified session');
  }
}

/** Retry-After as whole seconds (the delta form ec2m sends); null when absent or a date. */
export function parseRetryAfter(header: string | null): number | null {
  if (!header || !/^\d+$/.test(header.trim())) {
    return null;
  }
  return Number(header.trim());
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Builds the ApiError for a non-2xx answer from its status, X-Request-Id header and body text.
 * The body is `{"error": {"code", "message", "request_id"}}` by contract; anything else still
 * gives a useful message naming the status.
 */
export function errorFromResponse(
  status: number,
  statusText: string,
  bodyText: string,
  headerRequestId: string | null,
  retryAfter: number | null = null,
): ApiError {
  let parsed: unknown = null;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : null;
  } catch {
    parsed = null;
  }
  const fallbackCode = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid_argument');
  const err = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
  if (err && typeof err.message === 'string') {
    const code = typeof err.code === 'string' ? err.code : fallbackCode;
    const rid = typeof err.request_id === 'string' ? err.request_id : headerRequestId;
    return new ApiError(status, code, err.message, rid, retryAfter);
  }
  const label = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const snippet = bodyText.trim().slice(0, 120);
  const message = snippet && !snippet.startsWith('<') ? `${label}: ${snippet}` : label;
  return new ApiError(status, fallbackCode, message, headerRequestId, retryAfter);
}

/** A readable one-liner for the UI: the message, plus the request id to quote in a bug report. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    return e.requestId ? `${e.message} (request ${e.requestId})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
