import { constantTimeEqual } from '../../../core/encoding.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../../../core/observability/metrics-registry.ts';
import { ApiError } from '../../lib/errors.ts';
import { text } from '../../lib/respond.ts';
import type { AppRouteHandler } from '../../lib/types.ts';
import type { ScrapeRoute } from './metrics.routes.ts';

const encoder = new TextEncoder();

export const scrape: AppRouteHandler<ScrapeRoute> = async (c) => {
  const { config, telemetry } = c.get('deps');
  const { metricsToken } = config.observability;
  if (!telemetry?.metrics || !telemetry.scrape) {
    throw new ApiError('not_found', {
      detail: telemetry?.metrics
        ? 'This runtime pushes its metrics over OTLP instead of serving them.'
        : 'Metrics are off (METRICS_ENABLED=false).',
    });
  }
  if (!metricsToken && config.env === 'production') {
    throw new ApiError('not_found', { detail: 'Metrics are off: set METRICS_TOKEN to serve them in production.' });
  }
  if (metricsToken) {
    const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!constantTimeEqual(encoder.encode(presented), encoder.encode(metricsToken))) {
      throw new ApiError('unauthorized', {
        detail: 'Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.',
        headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      });
    }
  }
  return text(c, await telemetry.metrics.registry.render(), 200, {
    'content-type': PROMETHEUS_CONTENT_TYPE,
    'cache-control': 'no-store',
  });
};
