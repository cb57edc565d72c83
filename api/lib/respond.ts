import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { InvalidJSONValue, JSONParsed, JSONValue } from 'hono/utils/types';
import type { AppEnv } from './types.ts';

/** Header names as they go on the wire: lower case, so one name is never set twice. */
export type HeaderFields = Record<Lowercase<string>, string>;

/**
 * What the responses to one request carry, decided before its handler runs: the
 * security headers, the request id, the rate-limit state. `responseHeaders` (the
 * middleware) creates it; the functions below build every response of the app with
 * these headers already in it, as one plain object. A response made any other way (a
 * third-party middleware's, a stream, the dashboard's files) gets them after the
 * handler instead.
 */
export interface ResponseState {
  readonly headers: HeaderFields;
  /** `Set-Cookie` values, one header each. */
  cookies?: string[];
  /** The last response built here, and its body, for the access log's byte count. */
  response?: Response;
  body?: string | Uint8Array<ArrayBuffer> | null;
}

/**
 * Adds headers every response to this request carries, whichever builds it. Call it
 * before the response exists (a rate limit's state, a stream's proxy hint).
 */
export function addResponseHeaders(c: Context<AppEnv>, headers: HeaderFields): void {
  const state = c.get('response');
  if (state) Object.assign(state.headers, headers);
}

/** Sets a cookie (a serialized `Set-Cookie` value) on whatever response the request gets. */
export function addResponseCookie(c: Context<AppEnv>, cookie: string): void {
  const state = c.get('response');
  if (!state) return;
  state.cookies ??= [];
  state.cookies.push(cookie);
}

/**
 * Builds a response with the request's headers, a default content type (`headers` may
 * name another) and `headers` in one plain object, copied once. Not `c.body`: Hono
 * gathers more than one header in a `Headers`, and middleware then sets each later one
 * on it; on Node the adapter copies a plain object straight into the response head,
 * where a `Headers` costs validation, sorting and a copy per header.
 */
function build(
  c: Context<AppEnv>,
  body: string | Uint8Array<ArrayBuffer> | null,
  status: StatusCode,
  type: string | undefined,
  headers: HeaderFields | undefined,
): Response {
  const state = c.get('response');
  const fields: HeaderFields = { ...state?.headers };
  if (type) fields['content-type'] = type;
  if (headers) Object.assign(fields, headers);
  const response = new Response(body, {
    status,
    headers: state?.cookies ? withCookies(fields, state.cookies) : fields,
  });
  if (state) {
    state.response = response;
    state.body = body;
  }
  return response;
}

/** `fields` and a `Set-Cookie` header per cookie: a plain object holds one value per name. */
function withCookies(fields: HeaderFields, cookies: string[]): Headers {
  const headers = new Headers(fields);
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return headers;
}

/** A response with the request's headers and `headers`, its body as given. */
export function send(
  c: Context<AppEnv>,
  body: string | Uint8Array<ArrayBuffer> | null,
  status: StatusCode,
  headers?: HeaderFields,
): Response {
  return build(c, body, status, undefined, headers);
}

/** A JSON response, typed for the route's declared responses as `c.json` is. */
export function json<T extends JSONValue | object | InvalidJSONValue, U extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  object: T,
  status: U,
  headers?: HeaderFields,
): Response & TypedResponse<JSONParsed<T>, U, 'json'> {
  return build(c, JSON.stringify(object), status, 'application/json', headers) as Response &
    TypedResponse<JSONParsed<T>, U, 'json'>;
}

/** A response without a body (204, 304), typed as `c.body(null, ...)` is. */
export function empty<U extends StatusCode>(
  c: Context<AppEnv>,
  status: U,
  headers?: HeaderFields,
): Response & TypedResponse<null, U, 'body'> {
  return build(c, null, status, undefined, headers) as Response & TypedResponse<null, U, 'body'>;
}

/** A text response (`text/plain` unless `headers` name another type), typed as `c.text` is. */
export function text<T extends string, U extends ContentfulStatusCode>(
  c: Context<AppEnv>,
  body: T,
  status: U,
  headers?: HeaderFields,
): Response & TypedResponse<T, U, 'text'> {
  return build(c, body, status, 'text/plain; charset=UTF-8', headers) as Response & TypedResponse<T, U, 'text'>;
}
