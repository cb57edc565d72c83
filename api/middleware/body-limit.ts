import type { MiddlewareHandler } from 'hono';
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
 * first cut off by the general limit.
 */
export function limitBody(options: LimitBodyOptions): MiddlewareHandler<AppEnv> {
  const limiter = (maxBytes: number) =>
    bodyLimit({
      maxSize: maxBytes,
      onError: (c) => {
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
      },
    });
  const general = limiter(options.maxBytes);
  const byRoute = new Map(Object.entries(options.routes ?? {}).map(([route, max]) => [route, limiter(max)]));
  return async function limitBody(c, next) {
    // No handler reads the body of these. Looking for one would also make the Node
    // adapter build a full Request for every read (hono's bodyLimit touches `raw.body`).
    if (BODILESS.has(c.req.method)) return next();
    return (byRoute.get(routeKey(c)) ?? general)(c, next);
  };
}
