import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../lib/types.ts';

/** The route template that answered (e.g. `/api/v1/items/:id`), never the raw path. */
export function routeTemplate(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  return handler?.path ?? '(unmatched)';
}

/** One JSON line per request, written after the response is ready. */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLog(c, next) {
    const started = performance.now();
    await next();
    const { deps } = c.var;
    if (!deps.config.accessLog) return;
    deps.logger.info('request', {
      method: c.req.method,
      route: routeTemplate(c),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      requestId: c.get('requestId'),
    });
  };
}
