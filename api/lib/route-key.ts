import type { Context } from 'hono';

/**
 * `METHOD /path` of a request, the key per-route middleware options use. The routers
 * are not strict about a trailing slash, so neither is the key.
 */
export function routeKey(c: Context): string {
  return `${c.req.method} ${c.req.path.replace(/(.)\/+$/, '$1')}`;
}

/** Routes without rate limits (by route key): QStash's deliveries are signed and retried by QStash itself. */
export const RATE_LIMIT_EXEMPT: readonly string[] = ['POST /api/v1/jobs/deliver'];
