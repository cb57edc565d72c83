import type { MetricSnapshot } from './metrics-registry.ts';
import type { AttributeValue, FinishedSpan, SpanExporter } from './tracer.ts';

/**
 * OTLP over HTTP with the JSON encoding (https://opentelemetry.io/docs/specs/otlp/):
 * spans to `<endpoint>/v1/traces`, metrics to `<endpoint>/v1/metrics`. Plain fetch,
 * so it works on every runtime; JSON keeps protobuf out of the bundle.
 */
export interface OtlpOptions {
  /** Base URL of a collector, e.g. `http://otel-collector:4318`. */
  endpoint: string;
  /** Extra request headers (an API key for a hosted backend). */
  headers?: Record<string, string>;
  /** Resource attributes: `service.name`, `service.version`, … */
  resource: Record<string, string>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const SCOPE = { name: 'edgeplane' };
const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
const STATUS = { unset: 0, ok: 1, error: 2 } as const;
const DELTA = 1;
const CUMULATIVE = 2;

function anyValue(value: AttributeValue) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

const attributes = (record: Record<string, AttributeValue>) =>
  Object.entries(record).map(([key, value]) => ({ key, value: anyValue(value) }));

// Epoch milliseconds (fractional) to the nanosecond string OTLP JSON uses for fixed64.
const nanos = (ms: number) => `${Math.round(ms * 1000)}000`;

async function post(options: OtlpOptions, path: string, body: unknown): Promise<void> {
  const send = options.fetch ?? fetch;
  const url = `${options.endpoint.replace(/\/+$/, '')}${path}`;
  const response = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`OTLP export to ${url} answered HTTP ${response.status}`);
}

/** The OTLP JSON body for a batch of spans. */
export function encodeSpans(spans: FinishedSpan[], resource: Record<string, string>) {
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes(resource) },
        scopeSpans: [
          {
            scope: SCOPE,
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: KIND[s.kind],
              startTimeUnixNano: nanos(s.startTime),
              endTimeUnixNano: nanos(s.endTime),
              attributes: attributes(s.attributes),
              status: { code: STATUS[s.status], message: s.statusMessage ?? '' },
            })),
          },
        ],
      },
    ],
  };
}

/** Sends spans to an OTLP/HTTP collector. */
export function otlpSpanExporter(options: OtlpOptions): SpanExporter {
  return { export: (spans) => post(options, '/v1/traces', encodeSpans(spans, options.resource)) };
}

/**
 * The OTLP JSON body for metric snapshots. `temporality` is `delta` when each push
 * carries only what happened since the previous one (Workers: many short-lived
 * isolates, none of which sees the totals).
 */
export function encodeMetrics(
  metrics: MetricSnapshot[],
  resource: Record<string, string>,
  window: { start: number; end: number; temporality: 'delta' | 'cumulative' },
) {
  const temporality = window.temporality === 'delta' ? DELTA : CUMULATIVE;
  const times = { startTimeUnixNano: nanos(window.start), timeUnixNano: nanos(window.end) };
  const point = (labels: Record<string, string>) => ({ attributes: attributes(labels), ...times });
  return {
    resourceMetrics: [
      {
        resource: { attributes: attributes(resource) },
        scopeMetrics: [
          {
            scope: SCOPE,
            metrics: metrics
              .filter((m) => m.series.length)
              .map((m) => {
                const base = { name: m.name, description: m.help, unit: m.unit ?? '' };
                if (m.type === 'counter') {
                  const dataPoints = m.series.map((s) => ({ ...point(s.labels), asDouble: s.value }));
                  return { ...base, sum: { dataPoints, aggregationTemporality: temporality, isMonotonic: true } };
                }
                if (m.type === 'gauge') {
                  return {
                    ...base,
                    gauge: { dataPoints: m.series.map((s) => ({ ...point(s.labels), asDouble: s.value })) },
                  };
                }
                const dataPoints = m.series.map((s) => ({
                  ...point(s.labels),
                  count: String(s.count ?? 0),
                  sum: s.sum ?? 0,
                  bucketCounts: (s.buckets ?? []).map(String),
                  explicitBounds: [...(m.bounds ?? [])],
                }));
                return { ...base, histogram: { dataPoints, aggregationTemporality: temporality } };
              }),
          },
        ],
      },
    ],
  };
}

/** Pushes metric snapshots to an OTLP/HTTP collector. */
export function pushMetrics(
  options: OtlpOptions,
  metrics: MetricSnapshot[],
  window: Parameters<typeof encodeMetrics>[2],
): Promise<void> {
  return post(options, '/v1/metrics', encodeMetrics(metrics, options.resource, window));
}
