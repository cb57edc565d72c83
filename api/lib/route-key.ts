import type { Context } from 'hono';

/**
 * `METHOD /path` of a request, the key per-route middleware options use. The routers
 * are not strict about a trailing slash, so neither is the key.
 */
export function routeKey(c: Context): string {
  return `${c.req.method} ${c.req.path.replace(/(.)\/+$/, '$1')}`;
}
