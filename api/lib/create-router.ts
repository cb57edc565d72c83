import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ZodError, ZodType } from 'zod';
import { fieldErrors } from '../../core/field-errors.ts';
import { ApiError } from './errors.ts';
import type { AppEnv } from './types.ts';

/** A route's validation failure as the 422 problem naming each field. */
function refuse(error: ZodError, target: string): never {
  const errors = fieldErrors(error, target);
  throw new ApiError('validation_failed', { detail: `Invalid ${errors.map((e) => e.field).join(', ')}.`, errors });
}

/** A zod object's keys, if `schema` is one (the shape a route's header parameters take). */
function objectKeys(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : undefined;
}

/**
 * Validates the header parameters a route declares, reading only those headers. The
 * generic validator copies every request header into an object first (on Node that also
 * builds a Headers of them all), which cost a request for one item about 4 µs of CPU for
 * one optional `If-None-Match`. Same outcome: the schema's own keys, 422 naming the
 * header, the result in `c.req.valid('header')`.
 */
function validateHeaders(schema: ZodType, names: string[]): MiddlewareHandler<AppEnv> {
  return async function validateHeaders(c, next) {
    const given: Record<string, string> = {};
    for (const name of names) {
      const value = c.req.header(name);
      if (value !== undefined) given[name] = value;
    }
    const result = await schema.safeParseAsync(given);
    if (!result.success) refuse(result.error, 'header');
    c.req.addValidatedData('header', result.data as Record<string, unknown>);
    await next();
  };
}

/** A router whose validation failures become 422 problem documents naming each field. */
export function createRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) refuse(result.error as ZodError, result.target);
    },
  });
  const openapi = router.openapi;
  // Routes with header parameters (If-None-Match, If-Match, Idempotency-Key…) are documented
  // as declared, and their headers validated by `validateHeaders` after the route's own
  // middleware (authentication comes first) and before its other validators.
  router.openapi = ((route, handler, hook) => {
    const headers = route.request?.headers;
    const names = objectKeys(headers);
    if (!headers || !names || names.some((name) => name !== name.toLowerCase())) {
      return openapi(route, handler, hook);
    }
    const { middleware, hide, ...documented } = route;
    if (!hide) router.openAPIRegistry.registerPath(documented);
    const { headers: _validatedHere, ...request } = route.request ?? {};
    const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
    return openapi(
      { ...route, request, hide: true, middleware: [...own, validateHeaders(headers as ZodType, names)] },
      handler,
      hook,
    );
  }) as typeof openapi;
  return router;
}
