import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Permission } from '../auth/permissions.ts';
import { requirePermission } from '../middleware/require-permission.ts';
import { errorResponses } from './errors.ts';

/** The security schemes a protected route accepts (declared in the OpenAPI document). */
export const SECURITY = [{ bearerAuth: [] }, { sessionCookie: [] }];

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
    'x-permission': permission,
    security: SECURITY,
    middleware: [requirePermission(permission)],
    responses: { ...config.responses, ...errorResponses(401, 403, 429) },
  } as R);
}

/** A route anyone may call (health, login); declared as such so none is public by omission. */
export function publicRoute<const R extends RouteConfig>(config: R) {
  return createRoute({ ...config, 'x-permission': 'public', security: [] } as R);
}

/** A JSON response for a route's `responses`. */
export const jsonResponse = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body for a route's `request`. */
export const jsonBody = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
