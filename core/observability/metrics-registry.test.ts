import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../test/support/exposition.ts';
import { MetricsRegistry, OVERFLOW_LABEL } from './metrics-registry.ts';

describe('MetricsRegistry', () => {
  it('Should render counters, gauges and cumulative histogram buckets in the Prometheus text format', async () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter({ name: 'requests_total', help: 'Requests.', labelNames: ['route'] });
    const depth = registry.gauge({ name: 'depth', help: 'Depth.', labelNames: [] });
    const latency = registry.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: [],
      buckets: [0.1, 1],
    });
    requests.inc({ route: '/a' });
    requests.inc({ route: '/a' }, 2);
    requests.inc({ route: 'quote " and \\ and \n' });
    depth.set({}, 7);
    for (const v of [0.05, 0.1, 0.5, 3]) latency.observe({}, v);

    const text = await registry.render();
    expect(text).toContain('# TYPE requests_total counter');
    expect(text).toContain('# TYPE latency_seconds histogram');
    const samples = parseExposition(text);
    expect(sampleValue(samples, 'requests_total', { route: '/a' })).toBe(3);
    expect(sampleValue(samples, 'requests_total', { route: 'quote " and \\ and \n' })).toBe(1);
    expect(sampleValue(samples, 'depth')).toBe(7);
    expect(sampleValue(samples, 'latency_seconds_bucket', { le: '0.1' })).toBe(2);
    expect(sampleValue(samples, 'latency_seconds_bucket', { le: '1' })).toBe(3);
    expect(sampleValue(samples, 'latency_seconds_bucket', { le: '+Inf' })).toBe(4);
    expect(sampleValue(samples, 'latency_seconds_count')).toBe(4);
    expect(sampleValue(samples, 'latency_seconds_sum')).toBeCloseTo(3.65);
  });

  it('Should put label sets beyond the series limit into one overflow series', async () => {
    const registry = new MetricsRegistry({ maxSeries: 3 });
    const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['id'] });
    for (let i = 0; i < 100; i++) counter.inc({ id: String(i) });
    const samples = parseExposition(await registry.render());
    expect(samples).toHaveLength(4);
    expect(sampleValue(samples, 'c_total', { id: OVERFLOW_LABEL })).toBe(97);
  });

  it('Should run collectors before rendering, and forget everything on reset', async () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge({ name: 'g', help: 'G.', labelNames: [] });
    let reads = 0;
    registry.collect(() => {
      reads++;
    });
    gauge.set({}, 1);
    await registry.render();
    expect(reads).toBe(1);
    registry.reset();
    expect(parseExposition(await registry.render())).toEqual([]);
    expect(() => registry.gauge({ name: 'g', help: 'again', labelNames: [] })).toThrow(/twice/);
  });
});
