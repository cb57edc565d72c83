import type { AppConfig } from '../../core/config.ts';
import type { AppDeps } from '../../core/deps.ts';
import type { Logger } from '../../core/logger.ts';
import { recordQueueMetrics } from '../../core/observability/queue-metrics.ts';
import { createTelemetry, type Telemetry } from '../../core/observability/telemetry.ts';
import { registerProcessMetrics } from './process-metrics.ts';

const SPAN_FLUSH_INTERVAL_MS = 5_000;

/**
 * The Node server's telemetry: `/metrics` for Prometheus (with process and queue
 * figures read at scrape time) and spans sent every few seconds when an OTLP
 * endpoint is set.
 */
export function nodeTelemetry(config: AppConfig, logger: Logger, runtime: 'node' | 'deno' | 'bun' = 'node') {
  const telemetry: Telemetry = createTelemetry(config, { metricsMode: 'scrape', logger, runtime });
  if (telemetry.metrics) registerProcessMetrics(telemetry.metrics.registry);
  if (telemetry.metrics && config.env === 'production' && !config.observability.metricsToken) {
    logger.warn('METRICS_TOKEN is not set: /metrics answers 404 in production');
  }
  const timer = telemetry.tracer ? setInterval(() => void telemetry.flush(), SPAN_FLUSH_INTERVAL_MS) : undefined;
  timer?.unref();
  return {
    telemetry,
    /** Reads queue figures through the app's database at each scrape. */
    watch(deps: AppDeps) {
      telemetry.metrics?.registry.collect(() => recordQueueMetrics(deps));
    },
    /** Sends what is left; call last when stopping. */
    async stop() {
      clearInterval(timer);
      await telemetry.flush({ force: true });
    },
  };
}
