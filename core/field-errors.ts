/**
 * Validation failures as one entry per offending field: the API's 422 problems and the
 * import job's rejected rows speak the same shape.
 */
import type { ZodError } from 'zod';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `title` or `tags.2`. */
  field: string;
  /** Where the field was read from: body, query, path or header. */
  in: string;
  message: string;
}

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
