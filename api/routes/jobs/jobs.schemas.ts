import { z } from '@hono/zod-openapi';
import { instant } from '../../../core/instant.ts';
import type { JobRow } from '../../../db/schema.ts';
import type { JobDefinition } from '../../../jobs/define.ts';
import { JOB_DEFINITIONS } from '../../../jobs/registry.ts';
import { JOB_STATUSES } from '../../../vocabulary/enums.ts';
import { commaList, pageParams } from '../../lib/query.ts';

export { JOB_STATUSES };

const JOB_TYPES = JOB_DEFINITIONS.map((d) => d.type) as [string, ...string[]];

export const JobSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(JOB_TYPES),
    status: z.enum(JOB_STATUSES).openapi({
      description:
        'queued → running → succeeded | failed (retried at `runAt`) | dead (attempts exhausted); queued → cancelled.',
    }),
    payload: z.unknown().openapi({ description: 'The payload (large inputs are summarized).' }),
    result: z.unknown().nullable(),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    runAt: z.iso
      .datetime()
      .openapi({ description: 'When the job is (or was) due; for failed jobs, the next attempt.' }),
    lastError: z.string().nullable(),
    idempotencyKey: z.string().nullable(),
    createdBy: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .openapi('Job');

export type Job = z.infer<typeof JobSchema>;

const common = {
  runAt: instant().optional().openapi({ description: 'Run no earlier than this time (default: now).' }),
  maxAttempts: z.number().int().min(1).max(50).optional().openapi({ description: 'Attempts before the job is dead.' }),
};

const PUBLIC_DEFINITIONS = (JOB_DEFINITIONS as readonly JobDefinition[]).filter((d) => !d.internal);

/** One variant per job type clients may enqueue, each with its own payload schema. */
export const EnqueueJobSchema = z
  .discriminatedUnion(
    'type',
    PUBLIC_DEFINITIONS.map((d) =>
      // prefault: an omitted payload is validated as {} (default() would skip validation).
      z.object({ type: z.literal(d.type), payload: d.payload.prefault({}), ...common }).strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .openapi('EnqueueJob');

export const JobListSchema = z
  .object({ data: z.array(JobSchema), nextCursor: z.string().nullable() })
  .openapi('JobList');

export const JobIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});

export const ListJobsQuerySchema = z.object({
  ...pageParams(),
  type: commaList(JOB_TYPES).openapi({
    param: { name: 'type', in: 'query' },
    type: 'string',
    description: 'One type or a comma list.',
  }),
  status: commaList(JOB_STATUSES).openapi({
    param: { name: 'status', in: 'query' },
    type: 'string',
    description: 'One status or a comma list.',
  }),
});

/** The API representation of a job row. */
export function toJob(row: JobRow): Job {
  const definition = (JOB_DEFINITIONS as readonly JobDefinition[]).find((d) => d.type === row.type);
  const describe = definition?.describePayload;
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    payload: describe ? describe(row.payload) : row.payload,
    result: row.result ?? null,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAt: row.runAt.toISOString(),
    lastError: row.lastError,
    idempotencyKey: row.idempotencyKey,
    createdBy: row.createdBy,
    requestId: row.requestId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
