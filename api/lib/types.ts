import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Actor, AppDeps } from '../../core/deps.ts';
import type { ResponseState } from './respond.ts';

/** Hono's environment of the app: what middleware puts on the context for handlers. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    /** The headers every response to the request carries (`responseHeaders`, `lib/respond.ts`). */
    response: ResponseState;
    actor: Actor;
    /** Why presented credentials were refused, for the 401 of a protected route. */
    authError?: string;
    /** A failure while checking credentials (the database is down), rethrown by protected routes. */
    authException?: unknown;
  };
}

export type AppOpenAPI = OpenAPIHono<AppEnv>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
