import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { ApiError, type FieldError } from './errors.ts';
import type { AppEnv } from './types.ts';

const TARGET_NAMES: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
};

/** Flattens a zod error into one entry per offending field. */
export function fieldErrors(error: ZodError, target: string): FieldError[] {
  // A query, path or header value is one parameter even when it parses into a list.
  const depth = target === 'json' || target === 'form' ? Number.POSITIVE_INFINITY : 1;
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.slice(0, depth).join('.') : '(root)',
    in: TARGET_NAMES[target] ?? target,
    message: issue.message,
  }));
}

/** A router whose validation failures become 422 problem documents naming each field. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (result.success) return;
      const errors = fieldErrors(result.error as ZodError, result.target);
      throw new ApiError('validation_failed', {
        detail: `Invalid ${errors.map((e) => e.field).join(', ')}.`,
        errors,
      });
    },
  });
}
