import type { MiddlewareHandler } from 'hono';
import { methodLabel, statusClass } from '../../core/observability/app-metrics.ts';
import { routeTemplate } from '../lib/route-template.ts';
import type { AppEnv } from '../lib/types.ts';

/**
 * Counts and times every request by method, route template and status class:
 * `/api/v1/items/:id`, never the id itself, so the series stay bounded.
 */
export function httpMetrics(): MiddlewareHandler<AppEnv> {
  return async function httpMetrics(c, next) {
    const metrics = c.get('deps').telemetry?.metrics;
    if (!metrics) return next();
    const started = performance.now();
    await next();
    const labels = { method: methodLabel(c.req.method), route: routeTemplate(c), status: statusClass(c.res.status) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
  };
}
