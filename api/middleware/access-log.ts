import type { Context, MiddlewareHandler } from 'hono';
import { routeTemplate } from '../lib/route-template.ts';
import type { AppEnv } from '../lib/types.ts';

const JSON_TYPES = /^application\/(?:problem\+)?json/;

/**
 * The size of the response body. Our JSON answers are built in memory without a
 * Content-Length, so they are measured (and given the header, which also spares
 * clients chunked encoding); other bodies (streamed reports, static files) report
 * theirs when they declare it.
 */
async function responseBytes(c: Context<AppEnv>): Promise<number | undefined> {
  const declared = c.res.headers.get('content-length');
  if (declared !== null) return Number(declared);
  if (!c.res.body) return 0;
  if (!JSON_TYPES.test(c.res.headers.get('content-type') ?? '')) return undefined;
  const { status, statusText } = c.res;
  const body = new Uint8Array(await c.res.arrayBuffer());
  const headers = new Headers(c.res.headers);
  headers.set('content-length', String(body.byteLength));
  // Cleared first: assigning over a response merges the old one's headers into the new.
  c.res = undefined;
  c.res = new Response(body, { status, statusText, headers });
  return body.byteLength;
}

/**
 * One JSON line per request, written once the response is ready: method, route
 * template, status, duration, bytes, request id, the caller and the trace id.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLog(c, next) {
    const started = performance.now();
    await next();
    const { deps } = c.var;
    if (!deps.config.accessLog || !deps.logger.enabled('info')) return;
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    const actor = c.get('actor');
    const status = c.res.status;
    (status >= 500 ? deps.logger.warn : deps.logger.info)('request', {
      method: c.req.method,
      route: routeTemplate(c),
      status,
      durationMs,
      bytes: await responseBytes(c),
      requestId: c.get('requestId'),
      userId: actor?.id ?? undefined,
      actorType: actor && actor.type !== 'anonymous' ? actor.type : undefined,
      traceId: deps.trace?.traceId,
    });
  };
}
