import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { HeaderFields, ResponseState } from '../lib/respond.ts';
import type { AppEnv } from '../lib/types.ts';

/** A caller's request id is kept when it is short and plain; otherwise the request gets its own. */
const MAX_REQUEST_ID = 255;
const UNSAFE_REQUEST_ID = /[^\w\-=]/;

/**
 * The headers Hono's `secureHeaders` sets with these options, taken from it once: its
 * defaults stay the source, and no request sets them one by one again.
 */
async function securityHeaders(options: Parameters<typeof secureHeaders>[0]): Promise<HeaderFields> {
  const probe = { res: new Response(null) } as unknown as Context;
  await secureHeaders(options)(probe, async () => {});
  return Object.fromEntries(probe.res.headers) as HeaderFields;
}

/**
 * Gives the request its id (the caller's `X-Request-Id` when it is a plain token of at
 * most 255 characters, else a new uuid) and starts the headers every response to it
 * carries: the security headers and the id. The app's responses are built with them
 * (`lib/respond.ts`); any other response gets them here once the handler is done.
 */
export function responseHeaders(): MiddlewareHandler<AppEnv> {
  const taken = securityHeaders({ crossOriginResourcePolicy: 'same-origin' });
  let security: HeaderFields | undefined;
  return async function responseHeaders(c, next) {
    security ??= await taken;
    const given = c.req.header('x-request-id');
    const id = given && given.length <= MAX_REQUEST_ID && !UNSAFE_REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', id);
    const state: ResponseState = { headers: { ...security, 'x-request-id': id } };
    c.set('response', state);
    await next();
    if (c.res === state.response) return;
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(state.headers)) headers.set(name, value);
    for (const cookie of state.cookies ?? []) headers.append('set-cookie', cookie);
  };
}
