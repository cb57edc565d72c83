import { describe, expect, it } from 'vitest';
import { createAppMetrics } from './app-metrics.ts';
import { encodeMetrics, otlpSpanExporter, pushMetrics } from './otlp.ts';
import { createTracer } from './tracer.ts';

/** A fetch that records what it was asked to send. */
function recordingFetch(status = 200) {
  const calls: { url: string; headers: Headers; body: unknown }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: new Headers(init.headers), body: JSON.parse(String(init.body)) });
    return new Response(null, { status });
  }) as unknown as typeof fetch;
  return { calls, fetch: fetchFn };
}

const resource = { 'service.name': 'edgeplane-test' };

describe('OTLP over HTTP (JSON)', () => {
  it('Should post spans to /v1/traces with ids, kinds, times and attributes in OTLP form', async () => {
    const sink = recordingFetch();
    const exporter = otlpSpanExporter({
      endpoint: 'http://collector.test:4318/',
      headers: { authorization: 'Bearer k' },
      resource,
      fetch: sink.fetch,
    });
    const tracer = createTracer({ exporter });
    const parent = tracer.startSpan('GET /x', { kind: 'server', attributes: { 'http.route': '/x' } });
    const child = tracer.startSpan('db select', { parent: parent.context, kind: 'client' });
    child.recordError(new Error('boom'));
    child.end();
    parent.end();
    await tracer.flush();

    expect(sink.calls).toHaveLength(1);
    const [call] = sink.calls;
    expect(call?.url).toBe('http://collector.test:4318/v1/traces');
    expect(call?.headers.get('authorization')).toBe('Bearer k');
    expect(call?.headers.get('content-type')).toBe('application/json');
    const body = call?.body as {
      resourceSpans: { resource: unknown; scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    expect(body.resourceSpans[0]?.resource).toEqual({
      attributes: [{ key: 'service.name', value: { stringValue: 'edgeplane-test' } }],
    });
    const [db, server] = body.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(server).toMatchObject({ name: 'GET /x', kind: 2, parentSpanId: '', status: { code: 0 } });
    expect(server?.attributes).toEqual([{ key: 'http.route', value: { stringValue: '/x' } }]);
    expect(db).toMatchObject({ kind: 3, parentSpanId: server?.spanId, traceId: server?.traceId, status: { code: 2 } });
    expect(String(db?.startTimeUnixNano)).toMatch(/^\d{19}$/);
    expect(BigInt(String(db?.endTimeUnixNano))).toBeGreaterThanOrEqual(BigInt(String(db?.startTimeUnixNano)));
  });

  it('Should drop unsampled spans and record only a share of new traces', async () => {
    const sink = recordingFetch();
    const tracer = createTracer({
      exporter: otlpSpanExporter({ endpoint: 'http://c', resource, fetch: sink.fetch }),
      sampleRatio: 0,
    });
    const root = tracer.startSpan('root');
    expect(root.context.sampled).toBe(false);
    root.end();
    const sampledChild = tracer.startSpan('child', {
      parent: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), sampled: true },
    });
    sampledChild.end();
    await tracer.flush();
    const body = sink.calls[0]?.body as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    const spans = body.resourceSpans[0]?.scopeSpans[0]?.spans;
    expect(spans).toHaveLength(1);
  });

  it('Should encode metrics with delta temporality: sums, gauges and histograms', async () => {
    const metrics = createAppMetrics();
    metrics.httpRequests.inc({ method: 'GET', route: '/x', status: '2xx' }, 2);
    metrics.httpDuration.observe({ method: 'GET', route: '/x', status: '2xx' }, 0.02);
    metrics.databaseUp.set({}, 1);
    const body = encodeMetrics(await metrics.registry.snapshot(), resource, {
      start: 1_000,
      end: 2_000,
      temporality: 'delta',
    });
    const list = body.resourceMetrics[0]?.scopeMetrics[0]?.metrics ?? [];
    // Only metrics with data are sent.
    expect(list.map((m) => m.name).sort()).toEqual([
      'database_up',
      'http_request_duration_seconds',
      'http_requests_total',
    ]);
    type Encoded = {
      unit: string;
      sum: { dataPoints: Record<string, unknown>[] };
      histogram: { dataPoints: { bucketCounts: string[]; explicitBounds: number[] }[] };
    };
    const counter = list.find((m) => m.name === 'http_requests_total') as unknown as Encoded;
    expect(counter.sum).toMatchObject({ aggregationTemporality: 1, isMonotonic: true });
    expect(counter.sum.dataPoints[0]).toMatchObject({
      asDouble: 2,
      startTimeUnixNano: '1000000000',
      timeUnixNano: '2000000000',
    });
    const histogram = list.find((m) => m.name === 'http_request_duration_seconds') as unknown as Encoded;
    expect(histogram.unit).toBe('s');
    expect(histogram.histogram.dataPoints[0]).toMatchObject({ count: '1', sum: 0.02 });
    const [point] = histogram.histogram.dataPoints;
    expect(point?.bucketCounts).toHaveLength((point?.explicitBounds.length ?? 0) + 1);
  });

  it('Should fail a push the collector refuses, naming the status', async () => {
    const sink = recordingFetch(503);
    await expect(
      pushMetrics({ endpoint: 'http://c', resource, fetch: sink.fetch }, [], {
        start: 0,
        end: 1,
        temporality: 'delta',
      }),
    ).rejects.toThrow(/503/);
    expect(sink.calls[0]?.url).toBe('http://c/v1/metrics');
  });
});
