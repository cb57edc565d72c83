import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Permission } from '../../vocabulary/permissions.ts';
import { errorResponses } from '../lib/errors.ts';
import { RATE_LIMIT_EXEMPT } from '../lib/route-key.ts';
import { requirePermission } from '../middleware/require-permission.ts';

/** The security schemes a protected route accepts (declared in the OpenAPI document). */
export const SECURITY = [{ bearerAuth: [] }, { sessionCookie: [] }];

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const ARTICLES = new Set(['a', 'an', 'the']);

/**
 * The statuses the shared machinery can answer on a route, whatever its handler does,
 * derived from what the route is (see api/app.ts for the order): every route can fail
 * (500); under /api the start-up gate and the database answer 503, the text check 422
 * (a NUL in the query or path) and the rate limit 429 (unless exempt); a method that
 * may carry a body meets the size limit (413) and the body's text check (400, 422);
 * a declared body also the media-type gate (415) and its parser (400); declared
 * parameters their validation (422). A route's own entry for a status wins.
 */
export function sharedStatuses(config: RouteConfig): ContentfulStatusCode[] {
  const statuses = new Set<ContentfulStatusCode>([500]);
  const api = config.path.startsWith('/api/');
  const { request = {} } = config;
  if (api) {
    statuses.add(503).add(422);
    const key = `${config.method.toUpperCase()} ${config.path}`;
    if (!RATE_LIMIT_EXEMPT.includes(key)) statuses.add(429);
    if (BODY_METHODS.has(config.method)) statuses.add(400).add(413);
  }
  if (request.body) statuses.add(400).add(413).add(415).add(422);
  if (request.params || request.query || request.headers) statuses.add(422);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * A route's operationId, from its summary unless it names one: `List items` → `listItems`.
 * Summaries are unique per operation, and the linter's uniqueness rule checks the result.
 */
export function operationIdOf(config: RouteConfig): string | undefined {
  if (config.operationId || !config.summary) return config.operationId;
  const words = config.summary
    .replace(/'s\b/g, '')
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => !ARTICLES.has(w.toLowerCase()));
  return words
    .map((w, i) => (i === 0 ? w.toLowerCase() : `${w[0]?.toUpperCase()}${w.slice(1).toLowerCase()}`))
    .join('');
}

/** `config`'s responses with the shared statuses added where the route declares none of its own. */
function withSharedResponses<R extends RouteConfig>(config: R, extra: ContentfulStatusCode[] = []) {
  return { ...errorResponses(...sharedStatuses(config), ...extra), ...config.responses };
}

/**
 * A route that needs `permission`: the check runs before validation, the OpenAPI
 * operation lists its security schemes, 401 and 403, and carries `x-permission` so
 * the published document (and the authorization tests generated from it) say who
 * may call it. Every protected route is under `/api`, so it also lists the rate
 * limit's 429.
 */
export function protectedRoute<const R extends RouteConfig>(permission: Permission, config: R) {
  return createRoute({
    ...config,
    operationId: operationIdOf(config),
    'x-permission': permission,
    security: SECURITY,
    middleware: [requirePermission(permission)],
    responses: withSharedResponses(config, [401, 403]),
  } as R);
}

/** A route anyone may call (health, login); declared as such so none is public by omission. Its shared statuses are declared too. */
export function publicRoute<const R extends RouteConfig>(config: R) {
  return createRoute({
    ...config,
    operationId: operationIdOf(config),
    'x-permission': 'public',
    security: [],
    responses: withSharedResponses(config),
  } as R);
}

/** A JSON response for a route's `responses`. */
export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body for a route's `request`. */
export const jsonBody = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
