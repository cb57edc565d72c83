import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError, ZodType } from 'zod';
import { fieldErrors, invalidFields } from '../../core/field-errors.ts';
import { ApiError } from './errors.ts';
import type { AppEnv } from './types.ts';

/** A route's validation failure as the 422 problem naming each field. */
function refuse(error: ZodError, target: string): never {
  const errors = fieldErrors(error, target);
  throw new ApiError('validation_failed', { detail: invalidFields(errors), errors });
}

type ParameterTarget = 'query' | 'param' | 'header';

/** Where each kind of parameter is read from, as hono's own validator reads it. */
const READ: Record<ParameterTarget, (c: Context<AppEnv>, names: string[]) => Record<string, unknown>> = {
  // A name given once is a string, given more than once a list.
  query: (c) => {
    const values: Record<string, unknown> = {};
    for (const [name, given] of Object.entries(c.req.queries())) values[name] = given.length === 1 ? given[0] : given;
    return values;
  },
  param: (c) => c.req.param(),
  // Only the headers the route declares: copying every header first (on Node, into a
  // Headers of them all) cost a request for one item about 4 µs for one If-None-Match.
  header: (c, names) => {
    const values: Record<string, string> = {};
    for (const name of names) {
      const value = c.req.header(name);
      if (value !== undefined) values[name] = value;
    }
    return values;
  },
};

/** The parameters of a route, in the order zod-openapi validates them. */
const TARGETS: Array<[ParameterTarget, 'query' | 'params' | 'headers']> = [
  ['query', 'query'],
  ['param', 'params'],
  ['header', 'headers'],
];

/** A zod object's keys, if `schema` is one. */
function objectKeys(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : undefined;
}

/**
 * Validates a route's query, path and header parameters in one synchronous step. The
 * generic validators run one middleware each and parse asynchronously (a promise per
 * parse and per hook), and the header one copies every request header first. Same
 * outcome: 422 naming each field, the result in `c.req.valid(target)`. Parameter schemas
 * are synchronous (no async refinements: a parameter is checked by its shape).
 */
function validateParameters(checks: Array<[ParameterTarget, ZodType, string[]]>): MiddlewareHandler<AppEnv> {
  return function validateParameters(c, next) {
    for (const [target, schema, names] of checks) {
      const result = schema.safeParse(READ[target](c, names));
      if (!result.success) refuse(result.error, target);
      c.req.addValidatedData(target, result.data as Record<string, unknown>);
    }
    return next();
  };
}

// As zod-openapi and Hono's validator match them: the declared type with any parameters,
// and JSON as the body's media type (the part before any parameters).
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const DECLARED_JSON = /^application\/([a-z-.]+\+)?json/i;

/** The zod schema of a required body whose one media type is JSON, if the route has one. */
function requiredJsonBody(body: unknown): ZodType | undefined {
  const { required, content } = (body ?? {}) as { required?: boolean; content?: Record<string, { schema?: unknown }> };
  const types = Object.keys(content ?? {});
  const schema = content?.[types[0] as string]?.schema;
  const isZod = typeof schema === 'object' && schema !== null && '_zod' in schema;
  return required && types.length === 1 && DECLARED_JSON.test(types[0] as string) && isZod
    ? (schema as ZodType)
    : undefined;
}

/**
 * Validates a required JSON body in one step with one await (reading the body), where
 * zod-openapi runs a media-type gate and Hono's validator as two middleware, and parses
 * asynchronously. Same outcome: 415 for another media type (or a body without one), 400
 * for malformed JSON, 422 naming each field, the result in `c.req.valid('json')`.
 */
function validateJsonBody(schema: ZodType): MiddlewareHandler<AppEnv> {
  return async function validateJsonBody(c, next) {
    const type = c.req.header('content-type');
    if (!type ? (await c.req.arrayBuffer()).byteLength > 0 : !JSON_REQUEST.test(type)) {
      throw new HTTPException(415, { message: 'Unsupported Media Type' });
    }
    let value: unknown = {};
    if (type && JSON_MEDIA_TYPE.test((type.split(';')[0] as string).trim())) {
      try {
        value = JSON.parse(await c.req.text());
      } catch {
        throw new HTTPException(400, { message: 'Malformed JSON in request body' });
      }
    }
    const result = schema.safeParse(value);
    if (!result.success) refuse(result.error, 'json');
    c.req.addValidatedData('json', result.data as Record<string, unknown>);
    return next();
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
  // A route is documented as declared; its parameters are validated by
  // `validateParameters` after the route's own middleware (authentication comes first),
  // and its body, if any, by zod-openapi's validators after that.
  router.openapi = ((route, handler, hook) => {
    const request = { ...route.request };
    const checks: Array<[ParameterTarget, ZodType, string[]]> = [];
    for (const [target, key] of TARGETS) {
      const schema = request[key];
      const names = objectKeys(schema);
      // Header names are matched as written: declared in lower case, as HTTP compares them.
      if (!schema || !names || (target === 'header' && names.some((n) => n !== n.toLowerCase()))) continue;
      checks.push([target, schema as ZodType, names]);
      delete request[key];
    }
    const body = requiredJsonBody(request.body);
    if (body) delete request.body;
    if ((checks.length === 0 && !body) || hook) return openapi(route, handler, hook);
    const { middleware, hide, ...documented } = route;
    if (!hide) router.openAPIRegistry.registerPath(documented);
    const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware];
    const validators = [
      ...(checks.length ? [validateParameters(checks)] : []),
      ...(body ? [validateJsonBody(body)] : []),
    ];
    return openapi({ ...route, request, hide: true, middleware: [...own, ...validators] }, handler);
  }) as typeof openapi;
  return router;
}
