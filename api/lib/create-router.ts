import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { fieldErrors } from '../../core/field-errors.ts';
import { ApiError } from './errors.ts';
import type { AppEnv } from './types.ts';

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
