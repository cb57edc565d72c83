import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** The route template that answered (e.g. `/api/v1/items/:id`), never the raw path. */
export function routeTemplate(c: Context): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  return handler?.path ?? '(unmatched)';
}
