// A fetch for unit tests: answers from a handler and records every request.

export interface Recorded {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

export interface Answer {
  status?: number;
  body?: unknown;
  /** Sent as is instead of JSON (for non-JSON error pages). */
  text?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: Recorded) => Answer | Promise<Answer>;

export function fakeFetch(handler: Handler): { fetch: typeof fetch; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://console.test');
    const headers = { ...((init?.headers as Record<string, string>) ?? {}) };
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const req = { method: init?.method ?? 'GET', url, headers, body };
    calls.push(req);
    const a = await handler(req);
    const status = a.status ?? 200;
    const text = a.text ?? (a.body === undefined ? '' : JSON.stringify(a.body));
    return new Response(status === 204 ? null : text, { status, headers: a.headers ?? {} });
  };
  return { fetch: fn as typeof fetch, calls };
}

export function apiError(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message, request_id: 'req-1' } } };
}
