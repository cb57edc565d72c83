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

/** The `limit` and `cursor` parameters every cursor-paginated list takes. */
export function pageParams(defaultLimit = 20) {
  return {
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(defaultLimit)
      .openapi({
        param: { name: 'limit', in: 'query' },
        description: 'Page size, 1 to 100.',
        example: defaultLimit,
      }),
    cursor: z
      .string()
      .max(500)
      .optional()
      .openapi({ param: { name: 'cursor', in: 'query' }, description: '`nextCursor` of the previous page.' }),
  };
}
