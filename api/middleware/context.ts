import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../core/deps.ts';
import type { AppEnv } from '../lib/types.ts';

const ANONYMOUS = Object.freeze({ type: 'anonymous', id: null } as const);

/** Makes the app's dependencies and the (for now anonymous) actor available to handlers (`c.get`). */
export function appContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return function appContext(c, next) {
    c.set('deps', deps);
    c.set('actor', ANONYMOUS);
    return next();
  };
}
