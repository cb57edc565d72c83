import type { AppConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type AppMetrics, createAppMetrics } from './app-metrics.ts';
import { type OtlpOptions, otlpSpanExporter, pushMetrics } from './otlp.ts';
import { createTracer, type SpanExporter, type Tracer } from './tracer.ts';

/** Metrics, traces and their export, built once per process (or Worker isolate). */
export interface Telemetry {
  /** Undefined when metrics are off (`METRICS_ENABLED=false`). */
  metrics?: AppMetrics;
  /** Undefined when no exporter is configured: then no span is ever created. */
  tracer?: Tracer;
  /** Whether `/metrics` serves the registry (Node); Workers push instead. */
  scrape: boolean;
  /** Whether anything is ever exported (spans, or pushed metrics): `flush` has work to do. */
  exporting: boolean;
  /** Exports spans waiting for it and, when pushing, metrics that are due. */
  flush(options?: { force?: boolean }): Promise<void>;
}

export interface TelemetryOptions {
  /** `scrape`: Prometheus pulls `/metrics` (Node). `push`: OTLP metrics to the collector (Workers). */
  metricsMode: 'scrape' | 'push';
  logger: Logger;
  /** Overrides the OTLP span exporter (an in-memory one in tests); enables tracing by itself. */
  spanExporter?: SpanExporter;
  /** The runtime's name, a resource attribute (`node`, `workerd`). */
  runtime: string;
  fetch?: typeof fetch;
}

/**
 * Builds the telemetry the configuration asks for. Without an OTLP endpoint there is
 * no tracer at all (zero cost: no ids, no spans); without metrics, no registry.
 */
export function createTelemetry(config: AppConfig, options: TelemetryOptions): Telemetry {
  const { observability: settings } = config;
  const warn = (what: string) => (error: unknown) => options.logger.warnThrottled(`${what} export failed`, { error });
  const otlp: OtlpOptions | undefined = settings.otlp && {
    endpoint: settings.otlp.endpoint,
    headers: settings.otlp.headers,
    fetch: options.fetch,
    resource: {
      'service.name': settings.serviceName,
      'service.version': config.version,
      'deployment.environment.name': config.env,
      'process.runtime.name': options.runtime,
    },
  };
  const exporter = options.spanExporter ?? (otlp && otlpSpanExporter(otlp));
  const tracer = exporter
    ? createTracer({ exporter, sampleRatio: settings.traceSampleRatio, onError: warn('span') })
    : undefined;
  const metrics = settings.metricsEnabled ? createAppMetrics() : undefined;
  const push = options.metricsMode === 'push' && metrics && otlp ? { otlp, registry: metrics.registry } : undefined;
  let windowStart = Date.now();

  return {
    metrics,
    tracer,
    scrape: options.metricsMode === 'scrape' && Boolean(metrics),
    exporting: Boolean(tracer || push),
    async flush({ force = false } = {}) {
      const pending: Promise<void>[] = [];
      if (tracer) pending.push(tracer.flush());
      const now = Date.now();
      if (push && (force || now - windowStart >= settings.metricsPushIntervalSeconds * 1000)) {
        const start = windowStart;
        windowStart = now;
        const snapshot = await push.registry.snapshot();
        // Delta: what this isolate counted since its last push; the collector adds them up.
        push.registry.reset();
        pending.push(
          pushMetrics(push.otlp, snapshot, { start, end: now, temporality: 'delta' }).catch(warn('metrics')),
        );
      }
      await Promise.all(pending);
    },
  };
}
