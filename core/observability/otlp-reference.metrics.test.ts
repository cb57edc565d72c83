import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  type MetricData,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  asSent,
  decode,
  int64,
  type Json,
  normaliseAttributes,
  normaliseResource,
  RESOURCE,
  SCOPE,
} from '../../test/support/otlp-json.ts';
import { createAppMetrics } from './app-metrics.ts';
import { Counter, Gauge, Histogram } from './metrics-registry.ts';
import { encodeMetrics } from './otlp.ts';

/**
 * The OpenTelemetry SDK as an oracle for our metric encoding: the app's real metric
 * definitions become SDK instruments, the same measurements go to both, both sides are
 * serialised to OTLP/JSON per export window, and the documents must be equal once the
 * differences the normaliser lists (each with its reason) are taken out.
 */

/** A recorded measurement: metric name, labels, value (added, set or observed, by the metric's type). */
type Measurement = [string, Record<string, string>, number];

const GET_ITEM = { method: 'GET', route: '/api/v1/items/:id', status: '2xx' };
const POST_ITEMS = { method: 'POST', route: '/api/v1/items', status: '4xx' };
const FIRST: Measurement[] = [
  ['http_requests_total', GET_ITEM, 1],
  ['http_requests_total', GET_ITEM, 2],
  ['http_requests_total', POST_ITEMS, 1],
  // Below, on and between bounds, and past the last one (the +Inf bucket).
  ['http_request_duration_seconds', GET_ITEM, 0.004],
  ['http_request_duration_seconds', GET_ITEM, 0.005],
  ['http_request_duration_seconds', GET_ITEM, 0.3],
  ['http_request_duration_seconds', GET_ITEM, 12],
  ['http_request_duration_seconds', POST_ITEMS, 0.05],
  ['jobs_queue_depth', { state: 'queued' }, 7],
  ['jobs_queue_depth', { state: 'running' }, 2],
  ['jobs_queue_depth', { state: 'queued' }, 5],
  ['jobs_oldest_queued_age_seconds', {}, 42.5],
  ['database_up', {}, 0],
  ['job_runs_total', { type: 'cleanup', outcome: 'succeeded' }, 1],
  ['job_run_duration_seconds', { type: 'cleanup', outcome: 'succeeded' }, 1.5],
  ['cache_hits_total', { cache: 'stats' }, 0.5],
];
const SECOND: Measurement[] = [
  ['http_requests_total', GET_ITEM, 4],
  ['http_request_duration_seconds', GET_ITEM, 0.02],
  ['database_up', {}, 1],
  ['rate_limit_rejections_total', { bucket: 'login' }, 1],
];
// Epoch ms for us, [seconds, nanoseconds] for the SDK: the same instants, one with a fraction of a millisecond.
const WINDOWS = [
  {
    start: 1_800_000_000_250.5,
    end: 1_800_000_060_000,
    hr: [
      [1_800_000_000, 250_500_000],
      [1_800_000_060, 0],
    ],
  },
  {
    start: 1_800_000_060_000,
    end: 1_800_000_120_000,
    hr: [
      [1_800_000_060, 0],
      [1_800_000_120, 0],
    ],
  },
] as const;

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** Our registry (the app's real metric definitions) and an SDK meter with the same instruments. */
async function bothMeters(temporality: 'delta' | 'cumulative') {
  const app = createAppMetrics();
  const ours = new Map<string, Counter<string> | Gauge<string> | Histogram<string>>();
  for (const metric of Object.values(app)) {
    if (metric instanceof Counter || metric instanceof Gauge || metric instanceof Histogram) {
      ours.set(metric.definition.name, metric as Counter<string> | Gauge<string> | Histogram<string>);
    }
  }
  const reader = new CollectingReader({
    aggregationTemporalitySelector: () =>
      temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
  });
  const meter = new MeterProvider({ resource: resourceFromAttributes(RESOURCE), readers: [reader] }).getMeter(SCOPE);
  const sdk = new Map<string, (value: number, labels: Record<string, string>) => void>();
  for (const m of await app.registry.snapshot()) {
    const options = { description: m.help, unit: m.unit };
    if (m.type === 'counter') {
      const counter = meter.createCounter(m.name, options);
      sdk.set(m.name, (value, labels) => counter.add(value, labels));
    } else if (m.type === 'gauge') {
      const gauge = meter.createGauge(m.name, options);
      sdk.set(m.name, (value, labels) => gauge.record(value, labels));
    } else {
      const histogram = meter.createHistogram(m.name, {
        ...options,
        advice: { explicitBucketBoundaries: [...(m.bounds ?? [])] },
      });
      sdk.set(m.name, (value, labels) => histogram.record(value, labels));
    }
  }

  return {
    record(measurements: Measurement[]) {
      for (const [name, labels, value] of measurements) {
        const metric = ours.get(name);
        if (metric instanceof Counter) metric.inc(labels, value);
        else if (metric instanceof Gauge) metric.set(labels, value);
        else metric?.observe(labels, value);
        sdk.get(name)?.(value, labels);
      }
    },
    /** Both documents for one export window; a delta export then forgets our series, as telemetry.ts does. */
    async export(window: (typeof WINDOWS)[number]) {
      const mine = asSent(encodeMetrics(await app.registry.snapshot(), RESOURCE, { ...window, temporality }));
      if (temporality === 'delta') app.registry.reset();
      const { resourceMetrics, errors } = await reader.collect();
      expect(errors).toEqual([]);
      // The SDK stamps points with its own clock at collection; we are handed the window.
      // Give its points the same window, so what is compared is the encoding.
      const stamped: ResourceMetrics = {
        ...resourceMetrics,
        scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
          ...scope,
          metrics: scope.metrics.map(
            (metric) =>
              ({
                ...metric,
                dataPoints: (metric.dataPoints as DataPoint<unknown>[]).map((point) => ({
                  ...point,
                  startTime: [...window.hr[0]],
                  endTime: [...window.hr[1]],
                })),
              }) as MetricData,
          ),
        })),
      };
      return { ours: mine, reference: decode(JsonMetricsSerializer.serializeRequest(stamped)) };
    },
  };
}

const byAttributes = (a: Json, b: Json) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes));

function normaliseMetrics(doc: Json, side: 'ours' | 'sdk'): Json {
  for (const resourceMetrics of doc.resourceMetrics) {
    if (side === 'sdk') normaliseResource(resourceMetrics.resource);
    else normaliseAttributes(resourceMetrics.resource.attributes);
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      // getMeter(name) without a version gives the empty string, proto3's default, which we omit.
      if (scopeMetrics.scope.version === '') delete scopeMetrics.scope.version;
      // Metric order within a scope, and point order within a metric, carry no meaning in OTLP.
      scopeMetrics.metrics.sort((a: Json, b: Json) => a.name.localeCompare(b.name));
      for (const metric of scopeMetrics.metrics) {
        const data = metric.sum ?? metric.gauge ?? metric.histogram;
        data.dataPoints.sort(byAttributes);
        for (const point of data.dataPoints) {
          normaliseAttributes(point.attributes);
          if (!metric.histogram) continue;
          point.count = int64(point.count);
          point.bucketCounts = point.bucketCounts.map(int64);
          // min and max are optional in OTLP; the registry keeps Prometheus-style buckets, sum and count only.
          if (side === 'sdk') {
            expect(point.min).toBeLessThanOrEqual(point.max);
            delete point.min;
            delete point.max;
          }
        }
      }
    }
  }
  return doc;
}

describe('OTLP/JSON metrics, against the OpenTelemetry SDK', () => {
  it.each(['delta', 'cumulative'] as const)(
    'Should encode %s sums, gauges and histograms as the SDK does, over two export windows',
    async (temporality) => {
      const meters = await bothMeters(temporality);
      for (const [i, measurements] of [FIRST, SECOND].entries()) {
        meters.record(measurements);
        const { ours, reference } = await meters.export(WINDOWS[i] as (typeof WINDOWS)[number]);
        expect(normaliseMetrics(ours, 'ours'), `window ${i + 1}`).toEqual(normaliseMetrics(reference, 'sdk'));
      }
    },
  );

  it('Should put a value on a bucket bound in that bucket, and one past the last bound in the +Inf bucket', async () => {
    const meters = await bothMeters('delta');
    meters.record(FIRST);
    const { ours } = await meters.export(WINDOWS[0]);
    const metric = ours.resourceMetrics[0].scopeMetrics[0].metrics.find(
      (m: Json) => m.name === 'http_request_duration_seconds',
    );
    const point = metric.histogram.dataPoints.find((p: Json) => p.attributes[0].value.stringValue === 'GET');
    // 0.004 and 0.005 in (-Inf, 0.005], 0.3 in (0.25, 0.5], 12 past 10.
    expect(point.bucketCounts).toEqual(['2', '0', '0', '0', '0', '0', '1', '0', '0', '0', '0', '1']);
    expect(point.count).toBe('4');
    expect(point.sum).toBeCloseTo(12.309, 9);
  });
});
