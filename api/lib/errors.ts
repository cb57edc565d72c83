import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldError } from '../../core/field-errors.ts';
import { classifyDbError, SCHEMA_FIX } from '../../db/errors.ts';
import { CheckSchema } from './check-schema.ts';
import { type HeaderFields, send } from './respond.ts';
import { routeTemplate } from './route-template.ts';
import type { AppEnv } from './types.ts';

/** Every error the API returns, with its HTTP status. Codes are stable; clients may branch on them. */
export const ERROR_STATUS = {
  invalid_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  precondition_failed: 412,
  precondition_required: 428,
  rate_limited: 429,
  internal_error: 500,
  job_attempt_failed: 500,
  service_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  validation_failed: 'Validation failed',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  precondition_failed: 'Precondition failed',
  precondition_required: 'Precondition required',
  rate_limited: 'Too many requests',
  internal_error: 'Internal server error',
  job_attempt_failed: 'Job attempt failed',
  service_unavailable: 'Service unavailable',
};

export interface ApiErrorOptions {
  detail?: string;
  errors?: FieldError[];
  /** Headers of the problem response, lower case. */
  headers?: HeaderFields;
  /** Extra members added to the problem document. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type handlers throw; `handleError` turns it into problem+json. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly options: ApiErrorOptions;

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    super(options.detail ?? TITLES[code], { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.options = options;
  }
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:edgeplane:problem:not_found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), in: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Per-field validation errors.' }),
    // Extension members some problems carry (RFC 9457 §3.2), declared so clients get their types.
    currentVersion: z
      .number()
      .int()
      .optional()
      .openapi({ description: "412 on an item: the item's current version (reload it, then retry)." }),
    jobStatus: z
      .string()
      .optional()
      .openapi({ description: '404 on a report: the status of its job while it is not done.' }),
    currentStatus: z
      .string()
      .optional()
      .openapi({ description: "409 on a job's retry or cancel: the job's status, which does not allow it." }),
    checks: z
      .record(z.string(), CheckSchema)
      .optional()
      .openapi({ description: '503 on readiness: each dependency and its state.' }),
  })
  .openapi('Problem', { description: 'An RFC 9457 problem document.' });

export type Problem = z.infer<typeof ProblemSchema>;

/** Builds the problem+json response for an error code. */
export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const body = {
    type: `urn:edgeplane:problem:${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    detail: error.options.detail,
    code: error.code,
    requestId: c.get('requestId'),
    instance: new URL(c.req.url).pathname,
    errors: error.options.errors,
    ...error.options.extensions,
  };
  return send(c, JSON.stringify(body), error.status, {
    'content-type': 'application/problem+json',
    ...error.options.headers,
  });
}

/**
 * Three tiers: our own errors, Hono's HTTP exceptions (malformed JSON, body limit),
 * then everything else. Database errors answer by class (unavailable or timed out: 503
 * with Retry-After; a value the database refuses: 400; a constraint: 409); the rest is
 * logged with its stack and answered without details. A database without the schema
 * the statements expect (never migrated, or by an older version) answers 503 saying how
 * to migrate. Logs describe errors by class and code, never with the statement or its
 * values.
 */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) return problemResponse(c, err);
  if (err instanceof HTTPException) return problemResponse(c, fromHttpException(err));
  const logger = c.get('deps')?.logger;
  const where = { method: c.req.method, route: routeTemplate(c) };
  switch (classifyDbError(err)) {
    case 'unavailable':
      logger?.warnThrottled('database unavailable', { ...where, error: err });
      return problemResponse(
        c,
        new ApiError('service_unavailable', {
          detail: 'The database is unavailable; try again shortly.',
          headers: { 'retry-after': '5' },
        }),
      );
    case 'schema_outdated':
      // Once per interval, not per request: every route fails the same way until it is migrated.
      logger?.warnThrottled('the database schema is missing or older than this version', {
        ...where,
        fix: SCHEMA_FIX,
        error: err,
      });
      return problemResponse(
        c,
        new ApiError('service_unavailable', {
          detail: `The database schema is missing or older than this version: ${SCHEMA_FIX}.`,
          headers: { 'retry-after': '30' },
        }),
      );
    case 'invalid_input':
      logger?.warnThrottled('database refused a value', { ...where, error: err });
      return problemResponse(
        c,
        new ApiError('invalid_request', {
          detail: 'A value in the request cannot be stored; check its text and numbers.',
        }),
      );
    case 'unique_violation':
    case 'foreign_key_violation':
      logger?.warnThrottled('database constraint refused a write', { ...where, error: err });
      return problemResponse(
        c,
        new ApiError('conflict', { detail: 'The request conflicts with the current state of the resource.' }),
      );
    default:
      logger?.error('unhandled error', { ...where, error: err });
      return problemResponse(c, new ApiError('internal_error', { detail: 'An unexpected error occurred.' }));
  }
}

function fromHttpException(err: HTTPException): ApiError {
  switch (err.status) {
    case 413:
      return new ApiError('payload_too_large', { detail: 'The request body is too large.' });
    case 415:
      return new ApiError('unsupported_media_type', { detail: err.message });
    case 401:
      return new ApiError('unauthorized', { detail: err.message });
    case 403:
      return new ApiError('forbidden', { detail: err.message });
    case 404:
      return new ApiError('not_found', { detail: err.message });
    default:
      return new ApiError(err.status >= 500 ? 'internal_error' : 'invalid_request', {
        detail: err.status >= 500 ? 'An unexpected error occurred.' : err.message,
      });
  }
}

/** The standard error responses of a route, for its OpenAPI definition. */
export function errorResponses<S extends ContentfulStatusCode>(...statuses: S[]) {
  const descriptions: Partial<Record<ContentfulStatusCode, string>> = {
    400: 'The request is malformed (bad JSON, bad cursor).',
    401: 'Missing or invalid credentials (for deliveries: the Upstash-Signature).',
    409: 'The request conflicts with the current state.',
    404: 'The resource does not exist.',
    412: 'The `If-Match` precondition did not hold: the resource changed.',
    413: 'The request body is too large.',
    415: 'The request body is not JSON.',
    422: 'A field failed validation; `errors` names each one.',
    428: 'The request must be conditional (`If-Match` or `version`).',
    429: 'Too many requests from this client: wait `Retry-After` seconds.',
    500: 'An unexpected error occurred.',
    503: 'A dependency (the database) is unavailable; retry later.',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  ) as Record<S, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }>;
}
