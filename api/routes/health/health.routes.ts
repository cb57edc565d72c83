import { z } from '@hono/zod-openapi';
import { CheckSchema } from '../../lib/check-schema.ts';
import { errorResponses } from '../../lib/errors.ts';
import { publicRoute } from '../route.ts';

const tags = ['Health'];

export const ReadySchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    uptimeSeconds: z.number(),
    checks: z.record(z.string(), CheckSchema),
    queue: z
      .object({
        delivery: z.enum(['qstash', 'dispatcher', 'none']),
        queued: z.number().int(),
        running: z.number().int(),
        oldestQueuedAgeSeconds: z.number().int().nullable().openapi({ description: 'Age of the oldest due job.' }),
      })
      .nullable()
      .openapi({
        description:
          'Job queue depth (informational: never fails readiness); null when it could not be read within the probe limit (the jobs table locked, the database stalling).',
      }),
  })
  .openapi('Readiness');

export const live = publicRoute({
  method: 'get',
  path: '/health/live',
  tags,
  summary: 'Liveness',
  description: 'The process is up. Checks no dependency, so a database outage never restarts pods.',
  responses: {
    200: {
      description: 'Alive.',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

export const ready = publicRoute({
  method: 'get',
  path: '/health/ready',
  tags,
  summary: 'Readiness',
  description:
    'Probes the database and the cache store. 503 (a problem document with `checks`) when the database is down or ' +
    'the server is draining; a cache outage is reported in `checks.cache` but does not fail readiness.',
  responses: {
    200: { description: 'Ready to serve.', content: { 'application/json': { schema: ReadySchema } } },
    ...errorResponses(503),
  },
});
