import { errorResponses } from '../../lib/errors.ts';
import { protectedRoute } from '../route.ts';
import { StatsSchema } from './stats.schemas.ts';

export const get = protectedRoute('stats:read', {
  method: 'get',
  path: '/api/v1/stats',
  tags: ['Stats'],
  summary: 'Item and job statistics',
  description:
    'Counts of items by status and priority, items created per day, jobs by state and type, and job ' +
    'durations. Computed in the database and cached for `STATS_CACHE_SECONDS` (default 30), so figures ' +
    'may trail recent changes by that much; `generatedAt` says when they were computed.',
  responses: {
    200: {
      description: 'The statistics.',
      headers: {
        'Cache-Control': {
          schema: { type: 'string' },
          description: '`private, max-age=…`: how long they stay current.',
        },
      },
      content: { 'application/json': { schema: StatsSchema } },
    },
    ...errorResponses(500, 503),
  },
});

export type GetRoute = typeof get;
