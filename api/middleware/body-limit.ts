import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, problemResponse } from '../lib/errors.ts';
import { routeKey } from '../lib/route-key.ts';
import type { AppEnv } from '../lib/types.ts';

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface LimitBodyOptions {
  /** The largest body, in bytes, of any request not named in `routes`. */
  maxBytes: number;
  /** Other limits for particular routes, keyed `METHOD /path` (uploads need more than JSON calls). */
  routes?: Record<string, number>;
}

/**
 * Refuses request bodies over a size limit with a 413 problem, before a handler
 * reads them. One middleware for every limit, so a route with a larger one is not
 * first cut off by the general limit. A body in a content coding (gzip, say) is refused
 * with 415 and `Accept-Encoding: identity` (RFC 9110 §15.5.16): nothing here decodes one,
 * and read as it is, it would be taken for bytes that are not text.
 */
export function limitBody(options: LimitBodyOptions): MiddlewareHandler<AppEnv> {
  const tooLarge = (c: Context<AppEnv>, maxBytes: number) => {
    const res = problemResponse(
      c,
      new ApiError('payload_too_large', {
        detail: `The request body is too large: the limit is ${maxBytes} bytes.`,
        extensions: { maxBytes },
      }),
    );
    // The rest of the body is never read: the connection cannot carry another request
    // (RFC 9110 §15.5.14). Saying so stops a keep-alive client from reusing it.
    res.headers.set('connection', 'close');
    return res;
  };
  const limiter = (maxBytes: number) => ({
    maxBytes,
    // Counts a body of unknown length as it streams in, and stops it at the limit.
    streaming: bodyLimit({ maxSize: maxBytes, onError: (c) => tooLarge(c, maxBytes) }),
  });
  const encoded = (c: Context<AppEnv>, coding: string) =>
    problemResponse(
      c,
      new ApiError('unsupported_media_type', {
        detail: `The request body is in the content coding "${coding}": send it unencoded (identity).`,
        headers: { 'accept-encoding': 'identity' },
      }),
    );
  const general = limiter(options.maxBytes);
  const byRoute = new Map(Object.entries(options.routes ?? {}).map(([route, max]) => [route, limiter(max)]));
  return function limitBody(c, next) {
    // No handler reads the body of these.
    if (BODILESS.has(c.req.method)) return next();
    const coding = c.req.header('content-encoding')?.trim();
    if (coding && coding.toLowerCase() !== 'identity') return Promise.resolve(encoded(c, coding.slice(0, 40)));
    const limit = byRoute.get(routeKey(c)) ?? general;
    // A declared length is all it takes (the HTTP parser never reads past it), and reading
    // only headers keeps the Node adapter from building a full Request and a body stream,
    // which hono's bodyLimit does by touching `raw.body`.
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(declared) > limit.maxBytes ? Promise.resolve(tooLarge(c, limit.maxBytes)) : next();
    }
    return limit.streaming(c, next);
  };
}
