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

/** Flattens a zod error into one entry per offending field, an unknown key included. */
export function fieldErrors(error: ZodError, target: string): FieldError[] {
  // A query, path or header value is one parameter even when it parses into a list.
  const depth = target === 'json' || target === 'form' ? Number.POSITIVE_INFINITY : 1;
  const located = TARGET_NAMES[target] ?? target;
  const entry = (path: PropertyKey[], message: string): FieldError => ({
    field: path.length ? path.slice(0, depth).map(String).join('.') : '(root)',
    in: located,
    message,
  });
  // A strict object names the keys it refuses in one issue at their parent: each is a field of its own.
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => entry([...issue.path, key], 'Unknown field'))
      : [entry(issue.path, issue.message)],
  );
}

/** A validation problem's detail: each offending field once, in order, the whole body or value as itself. */
export function invalidFields(errors: readonly FieldError[]): string {
  const names = new Set(errors.map((e) => (e.field === '(root)' ? e.in : e.field)));
  return `Invalid ${[...names].join(', ')}.`;
}
