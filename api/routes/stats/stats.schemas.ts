import { z } from '@hono/zod-openapi';
import { CREATED_PER_DAY_DAYS, DURATION_WINDOW_DAYS } from '../../../db/queries/stats.ts';
import { ITEM_PRIORITIES, ITEM_STATUSES } from '../../../vocabulary/enums.ts';
import { JOB_STATUSES } from '../jobs/jobs.schemas.ts';

const count = z.number().int().min(0);

export const StatsSchema = z
  .object({
    generatedAt: z.iso.datetime().openapi({ description: 'When the figures were computed (they are cached briefly).' }),
    items: z.object({
      byStatus: z.record(z.enum(ITEM_STATUSES), count).openapi({ description: 'Live (not deleted) items.' }),
      byPriority: z.record(z.enum(ITEM_PRIORITIES), count).openapi({ description: 'Live (not deleted) items.' }),
      createdPerDay: z.array(z.object({ date: z.iso.date(), count })).openapi({
        description:
          `Items created on each of the last ${CREATED_PER_DAY_DAYS} days (UTC), oldest first, ` +
          'days without any included; items deleted since still count.',
      }),
    }),
    jobs: z.object({
      byState: z.record(z.enum(JOB_STATUSES), count),
      byType: z.record(z.string(), count).openapi({ description: 'Every job type, with 0 for types never run.' }),
      durationMs: z
        .object({
          windowDays: z.number().int(),
          count,
          p50: z.number().nullable(),
          p90: z.number().nullable(),
          p99: z.number().nullable(),
        })
        .openapi({
          description:
            `Run time (finished - started) of jobs that succeeded in the last ${DURATION_WINDOW_DAYS} days, ` +
            'in milliseconds; percentiles are null when none did.',
        }),
    }),
  })
  .openapi('Stats');

export type Stats = z.infer<typeof StatsSchema>;
