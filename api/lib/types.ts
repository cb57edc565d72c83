import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Actor, AppDeps } from '../../core/deps.ts';

/** Hono's environment of the app: what middleware puts on the context for handlers. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    actor: Actor;
    /** Why presented credentials were refused, for the 401 of a protected route. */
    authError?: string;
    /** A failure while checking credentials (the database is down), rethrown by protected routes. */
    authException?: unknown;
  };
}

export type AppOpenAPI = OpenAPIHono<AppEnv>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
