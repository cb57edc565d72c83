import type { MiddlewareHandler } from 'hono';
import { allows, type Permission } from '../../vocabulary/permissions.ts';
import { ApiError } from '../lib/errors.ts';
import type { AppEnv } from '../lib/types.ts';

/** 401 without credentials, 403 with credentials whose role lacks `permission`. */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return function requirePermission(c, next) {
    const failure = c.get('authException');
    if (failure) throw failure;
    const actor = c.get('actor');
    if (!('role' in actor)) {
      throw new ApiError('unauthorized', {
        detail: c.get('authError') ?? 'Sign in, or send an access token or API key as a Bearer token.',
        headers: { 'www-authenticate': 'Bearer realm="edgeplane"' },
      });
    }
    if (!allows(actor.role, permission)) {
      throw new ApiError('forbidden', {
        detail: `This needs the "${permission}" permission, which the ${actor.role} role does not have.`,
        extensions: { permission },
      });
    }
    return next();
  };
}
