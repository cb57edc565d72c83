import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../lib/types.ts';

/** Makes the app's dependencies and the (for now anonymous) actor available as `c.var`. */
export function appContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async function appContext(c, next) {
    c.set('deps', deps);
    c.set('actor', { type: 'anonymous', id: null });
    await next();
  };
}
