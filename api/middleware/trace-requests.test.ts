import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memorySpanExporter } from '../../core/observability/tracer.ts';
import { jobs } from '../../db/schema.ts';
import { createDispatcher } from '../../jobs/dispatcher.ts';
import { backend, unique, useTestApp } from '../../test/support/harness.ts';
import { withTelemetry } from '../../test/support/telemetry.ts';

const exporter = memorySpanExporter();
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const traceparent = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

describe.skipIf(backend.skip)(`traces [${backend.label}]`, () => {
  const t = useTestApp({}, { isolated: true, prepare: withTelemetry({ spanExporter: exporter }) });
  const spansOf = async (traceId: string) => {
    await t.deps.telemetry?.tracer?.flush();
    return exporter.spans.filter((s) => s.traceId === traceId);
  };

  it("Should continue the caller's trace: a server span under its span, with each query a child", async () => {
    const response = await t.request('/api/v1/items?limit=5', { headers: { traceparent } });
    expect(response.status).toBe(200);
    const spans = await spansOf(TRACE_ID);
    const server = spans.find((s) => s.kind === 'server' && s.name === 'GET /api/v1/items');
    expect(server).toMatchObject({
      parentSpanId: CALLER_SPAN,
      attributes: expect.objectContaining({ 'http.route': '/api/v1/items', 'http.response.status_code': 200 }),
    });
    const queries = spans.filter((s) => s.parentSpanId === server?.spanId && s.name.startsWith('db '));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      expect(query.kind).toBe('client');
      expect(query.attributes['db.query.text']).toMatch(/select/i);
    }
  });

  it('Should follow a request into the job it enqueued: the job run is a span of the same trace', async () => {
    const traceId = crypto.randomUUID().replaceAll('-', '');
    const header = `00-${traceId}-${CALLER_SPAN}-01`;
    const response = await t.request('/api/v1/jobs', {
      method: 'POST',
      as: 'editor',
      headers: { traceparent: header },
      json: { type: 'cleanup', payload: {} },
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const server = (await spansOf(traceId)).find((s) => s.kind === 'server');
    expect(server?.name).toBe('POST /api/v1/jobs');
    // The job row carries the request's span as its parent.
    const [row] = await t.deps.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row?.traceparent).toBe(`00-${traceId}-${server?.spanId}-01`);

    await createDispatcher(t.deps, { concurrency: 1, pollIntervalMs: 50, leaseMs: 5_000, schedule: false }).drain();
    const spans = await spansOf(traceId);
    const run = spans.find((s) => s.name === 'job cleanup');
    expect(run).toMatchObject({
      kind: 'consumer',
      parentSpanId: server?.spanId,
      attributes: expect.objectContaining({ 'edgeplane.job.id': id, 'edgeplane.job.outcome': 'succeeded' }),
    });
    // The job's own queries are its children.
    expect(spans.some((s) => s.parentSpanId === run?.spanId && s.name.startsWith('db '))).toBe(true);
  });

  it('Should start a new trace when there is no traceparent, or an invalid one', async () => {
    const before = exporter.spans.length;
    const title = unique('traced');
    await t.request('/api/v1/items', { method: 'POST', json: { title }, headers: { traceparent: 'garbage' } });
    await t.deps.telemetry?.tracer?.flush();
    const server = exporter.spans.slice(before).find((s) => s.kind === 'server');
    expect(server?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(server?.parentSpanId).toBeUndefined();
  });

  it('Should record nothing for a caller that did not sample its trace, yet pass the context on', async () => {
    const traceId = crypto.randomUUID().replaceAll('-', '');
    const response = await t.request('/api/v1/jobs', {
      method: 'POST',
      as: 'editor',
      headers: { traceparent: `00-${traceId}-${CALLER_SPAN}-00` },
      json: { type: 'cleanup', payload: {}, maxAttempts: 1 },
    });
    const { id } = (await response.json()) as { id: string };
    expect(await spansOf(traceId)).toEqual([]);
    const [row] = await t.deps.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  });
});
