import type { AppDeps } from '../../core/deps.ts';
import { recordQueueMetrics } from '../../core/observability/queue-metrics.ts';
import { instrumentDeps } from '../../core/observability/scope.ts';
import { createTelemetry } from '../../core/observability/telemetry.ts';
import type { SpanExporter } from '../../core/observability/tracer.ts';
import { testConfig } from './harness.ts';

/**
 * Finishes test deps as the Node server does: metrics served at /metrics (queue
 * figures read at scrape time), queries measured, and spans sent to `spanExporter`
 * when one is given. `settings` override the test configuration.
 */
export function withTelemetry(options: { settings?: Record<string, string>; spanExporter?: SpanExporter } = {}) {
  return (deps: AppDeps): AppDeps => {
    const config = testConfig(options.settings);
    const telemetry = createTelemetry(config, {
      metricsMode: 'scrape',
      logger: deps.logger,
      runtime: 'node',
      spanExporter: options.spanExporter,
    });
    const instrumented = instrumentDeps({ ...deps, config, telemetry });
    telemetry.metrics?.registry.collect(() => recordQueueMetrics(instrumented));
    return instrumented;
  };
}
