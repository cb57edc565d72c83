import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createTelemetry } from './telemetry.ts';

interface Pushed {
  url: string;
  body: {
    resourceMetrics: {
      scopeMetrics: { metrics: { name: string; sum?: { dataPoints: { asDouble: number }[] } }[] }[];
    }[];
  };
}

function recordingFetch() {
  const calls: Pushed[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    return new Response(null, { status: 200 });
  }) as unknown as typeof fetch;
  return { calls, fetch: fetchFn };
}

const logger = createLogger({ level: 'silent' });
const counted = (call: Pushed | undefined, name: string) =>
  call?.body.resourceMetrics[0]?.scopeMetrics[0]?.metrics.find((m) => m.name === name)?.sum?.dataPoints[0]?.asDouble;

describe('createTelemetry', () => {
  it('Should create no tracer and export nothing without an OTLP endpoint', async () => {
    const telemetry = createTelemetry(parseConfig({}), { metricsMode: 'push', logger, runtime: 'workerd' });
    expect(telemetry.tracer).toBeUndefined();
    expect(telemetry.exporting).toBe(false);
    expect(telemetry.scrape).toBe(false);
    expect(telemetry.metrics).toBeDefined();
  });

  it('Should push metrics as deltas at most once per interval, and everything when forced', async () => {
    const sink = recordingFetch();
    const config = parseConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.test:4318',
      METRICS_PUSH_INTERVAL_SECONDS: '3600',
    });
    const telemetry = createTelemetry(config, { metricsMode: 'push', logger, runtime: 'workerd', fetch: sink.fetch });
    expect(telemetry.exporting).toBe(true);
    const labels = { method: 'GET', route: '/x', status: '2xx' };
    telemetry.metrics?.httpRequests.inc(labels, 3);
    await telemetry.flush();
    // Within the interval: spans (none here) would go, metrics wait.
    expect(sink.calls.filter((c) => c.url.endsWith('/v1/metrics'))).toHaveLength(0);
    await telemetry.flush({ force: true });
    telemetry.metrics?.httpRequests.inc(labels, 2);
    await telemetry.flush({ force: true });
    const pushes = sink.calls.filter((c) => c.url === 'http://collector.test:4318/v1/metrics');
    expect(pushes).toHaveLength(2);
    // Each push carries what happened since the one before.
    expect(counted(pushes[0], 'http_requests_total')).toBe(3);
    expect(counted(pushes[1], 'http_requests_total')).toBe(2);
  });
});
