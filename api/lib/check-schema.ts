import { z } from '@hono/zod-openapi';

/** One dependency's state in a readiness answer (200, or the 503 problem's `checks`). */
export const CheckSchema = z
  .object({
    status: z.enum(['up', 'down']),
    latencyMs: z.number(),
    error: z.string().optional(),
    kind: z
      .enum(['upstash', 'redis', 'memory'])
      .optional()
      .openapi({ description: 'The store behind the `cache` check.' }),
  })
  .openapi('Check');
