import { type ClientResponse, DetailedError, hc, parseResponse } from 'hono/client';
import type { AppType } from '../../../api/app.ts';
import type { Problem } from '../../../api/lib/errors.ts';
import { SESSION_HINT_COOKIE } from '../../../vocabulary/session.ts';

/** A failed API call: the HTTP status and, when the API sent one, its problem document. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem?: Problem,
  ) {
    super(
      problem?.detail ??
        problem?.title ??
        (status ? `The server answered ${status}.` : 'The server could not be reached.'),
    );
    this.name = 'ApiProblem';
  }

  get code(): Problem['code'] | undefined {
    return this.problem?.code;
  }

  /** The API's per-field messages, keyed by field name (`title`, `tags.0`, …). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) out[e.field] ??= e.message;
    return out;
  }
}

interface ClientOptions {
  /** The API origin; the page's own origin in the browser. */
  baseUrl: string;
  /** Extra headers on every call (tests sign in with a bearer token instead of the cookie). */
  headers?: Record<string, string>;
}

const listeners = new Set<() => void>();
let options: ClientOptions = { baseUrl: globalThis.location?.origin ?? 'http://localhost' };
let refreshing: Promise<boolean> | undefined;

/** Runs `listener` whenever the session has expired and could not be refreshed. */
export function onSessionExpired(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Exchanges the refresh cookie for new session cookies, once however many calls ask at the same time. */
function refreshSession(): Promise<boolean> {
  refreshing ??= fetch(`${options.baseUrl}/api/v1/auth/refresh`, { method: 'POST', credentials: 'same-origin' })
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

/** The auth calls whose 401 means what it says: asking them again after a refresh would not help. */
const NO_REFRESH = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout'];

/**
 * Whether a session may exist: a bearer token is configured, or the API left its session
 * hint cookie (vocabulary/session.ts). Without either, asking who is signed in can only
 * earn a 401.
 */
export function mayHaveSession(): boolean {
  if (options.headers?.authorization) return true;
  return (globalThis.document?.cookie ?? '').split(/;\s*/).some((c) => c.startsWith(`${SESSION_HINT_COOKIE}=`));
}

/**
 * fetch with the session kept alive: a 401 on an API call (who-am-I included: its access
 * cookie may just have expired) refreshes the session once and retries; if that fails,
 * the session-expired listeners run (the app sends the user to sign in and back).
 */
async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const send = () => fetch(input, { ...init, credentials: 'same-origin' });
  const res = await send();
  const url = String(input instanceof Request ? input.url : input);
  if (res.status !== 401 || NO_REFRESH.some((path) => url.includes(path)) || options.headers?.authorization) return res;
  if (await refreshSession()) return send();
  for (const listener of listeners) listener();
  return res;
}

function createClient() {
  return hc<AppType>(options.baseUrl, { fetch: sessionFetch, headers: () => options.headers ?? {} });
}

/** The typed API client: paths, parameters and responses all come from the API's own route definitions. */
export let api = createClient();

/** Points the client somewhere else (tests run it against a real API server). */
export function configureApi(next: Partial<ClientOptions>): void {
  options = { ...options, ...next };
  api = createClient();
}

/** The origin the client talks to, for links the browser follows itself (downloads). */
export function apiUrl(path: string): string {
  return `${options.baseUrl}${path}`;
}

/**
 * Awaits a client call and returns its typed success body; anything else becomes an
 * ApiProblem carrying the problem document.
 */
export async function call<T extends ClientResponse<unknown>>(
  request: Promise<T>,
): ReturnType<typeof parseResponse<T>> {
  try {
    return await parseResponse(request);
  } catch (error) {
    if (error instanceof DetailedError) {
      const status = Number(error.statusCode ?? 0);
      const data = (error.detail as { data?: unknown } | undefined)?.data;
      throw new ApiProblem(status, isProblem(data) ? data : undefined);
    }
    // fetch itself failed: offline, DNS, connection refused.
    throw new ApiProblem(0);
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}
