import { createRoute, z } from '@hono/zod-openapi';
import { PROMETHEUS_CONTENT_TYPE } from '../../../core/observability/metrics-registry.ts';
import { errorResponses } from '../../lib/errors.ts';

export const scrape = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Observability'],
  summary: 'Prometheus metrics',
  operationId: 'prometheusMetrics',
  description:
    'The Prometheus text format (0.0.4): HTTP traffic by route template, jobs, queue depth, database, cache, ' +
    'rate limits and process metrics. Needs `Authorization: Bearer <METRICS_TOKEN>` when `METRICS_TOKEN` is set ' +
    '(no user role); without it the endpoint is open, except in production, where it is off (404). Served by ' +
    'the Node entry; a Worker answers 404 and pushes the same measurements over OTLP instead.',
  'x-permission': 'public',
  security: [{ metricsToken: [] }],
  responses: {
    200: {
      description: 'Every metric of this process.',
      // The media type the handler sends, from one place, so the document cannot drift from it.
      content: { [PROMETHEUS_CONTENT_TYPE]: { schema: z.string() } },
    },
    ...errorResponses(401, 404, 500),
  },
});

export type ScrapeRoute = typeof scrape;
