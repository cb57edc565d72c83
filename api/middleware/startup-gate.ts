import type { MiddlewareHandler } from 'hono';
import { ApiError, problemResponse } from '../lib/errors.ts';
import type { AppEnv } from '../lib/types.ts';

/**
 * While the server is still starting (waiting for the database, migrating), API calls
 * answer 503 with Retry-After instead of failing one by one on a database that is not
 * there yet. Liveness, readiness, metrics and the dashboard's files are not gated.
 */
export function startupGate(): MiddlewareHandler<AppEnv> {
  return function startupGate(c, next) {
    const lifecycle = c.get('deps').lifecycle?.();
    if (lifecycle?.phase !== 'starting') return next();
    return Promise.resolve(
      problemResponse(
        c,
        new ApiError('service_unavailable', {
          detail: `The server is starting: ${lifecycle.detail}.`,
          headers: { 'retry-after': '5' },
        }),
      ),
    );
  };
}
