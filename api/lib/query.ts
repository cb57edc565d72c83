import { z } from '@hono/zod-openapi';

/** A query parameter holding one value or a comma-separated list of them, each one of `values`. */
export function commaList<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)))
    .optional();
}
