import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  type IdGenerator,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  asSent,
  decode,
  type Json,
  normaliseAttributes,
  normaliseResource,
  RESOURCE,
  SCOPE,
} from '../../test/support/otlp-json.ts';
import { encodeSpans } from './otlp.ts';
import { createTracer, type FinishedSpan, memorySpanExporter, type SpanKind as OurKind } from './tracer.ts';

/**
 * The OpenTelemetry SDK as an oracle for our span encoding: spans recorded by our tracer
 * are replayed into the SDK with the same ids, parents and times, both sides are
 * serialised to OTLP/JSON, and the documents must be equal once the differences the
 * normalisers list (each with its reason) are taken out.
 */

/** A request with a remote caller, its database call and a job it queues; then a job with a failing webhook. */
async function ourSpans(): Promise<FinishedSpan[]> {
  const exporter = memorySpanExporter();
  const tracer = createTracer({ exporter });
  const caller = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true };
  const request = tracer.startSpan('GET', {
    parent: caller,
    kind: 'server',
    attributes: { 'http.request.method': 'GET', 'url.path': '/api/v1/items/42', 'user.id': undefined },
  });
  request.updateName('GET /api/v1/items/:id');
  const query = tracer.startSpan('db select', {
    parent: request.context,
    kind: 'client',
    attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'select "id" from "items" where "id" = $1' },
  });
  query.setAttribute('db.response.returned_rows', 1);
  query.setAttribute('db.sample.ratio', 0.25);
  query.setAttribute('db.cached', false);
  query.end();
  const enqueue = tracer.startSpan('job enqueue', { parent: request.context, kind: 'producer' });
  enqueue.end();
  request.setAttribute('http.response.status_code', 200);
  request.setAttribute('http.route', '/api/v1/items/:id — Grüße ✓');
  request.end();

  const job = tracer.startSpan('job send-notification', { kind: 'consumer', attributes: { 'job.attempt': 2 } });
  const webhook = tracer.startSpan('POST', { parent: job.context, kind: 'client' });
  webhook.recordError(new TypeError('fetch failed'));
  webhook.end();
  const purge = tracer.startSpan('purge', { parent: job.context });
  purge.end();
  job.end();
  await tracer.flush();
  return exporter.spans;
}

const SDK_KIND: Record<OurKind, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};
const SDK_STATUS = { unset: SpanStatusCode.UNSET, ok: SpanStatusCode.OK, error: SpanStatusCode.ERROR } as const;

/** The same spans recorded by the SDK: same ids (through an id generator), parents, names, kinds, times, attributes, status. */
function sdkSpans(spans: FinishedSpan[]): ReadableSpan[] {
  let next = spans[0] as FinishedSpan;
  const idGenerator: IdGenerator = { generateTraceId: () => next.traceId, generateSpanId: () => next.spanId };
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    idGenerator,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer(SCOPE);
  const ours = new Set(spans.map((s) => s.spanId));
  for (const span of spans) {
    next = span;
    const parent = span.parentSpanId
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: span.traceId,
          spanId: span.parentSpanId,
          traceFlags: TraceFlags.SAMPLED,
          isRemote: !ours.has(span.parentSpanId),
        })
      : ROOT_CONTEXT;
    const recorded = tracer.startSpan(
      span.name,
      { kind: SDK_KIND[span.kind], attributes: span.attributes, startTime: span.startTime },
      parent,
    );
    recorded.setStatus({ code: SDK_STATUS[span.status], message: span.statusMessage });
    recorded.end(span.endTime);
  }
  return exporter.getFinishedSpans();
}

/**
 * Our times are epoch milliseconds (a double) rounded to whole microseconds, since a
 * double this size resolves about a quarter of one; the SDK converts the same double
 * to whole nanoseconds. Both must name the same instant to within a microsecond.
 */
function sameInstant(ours: string, reference: string, what: string): void {
  const difference = BigInt(ours) - BigInt(reference);
  expect(difference < 1000n && difference > -1000n, `${what}: ${ours} vs ${reference}`).toBe(true);
}

function normaliseOurTraces(doc: Json): Json {
  for (const resourceSpans of doc.resourceSpans) {
    normaliseAttributes(resourceSpans.resource.attributes);
    for (const span of resourceSpans.scopeSpans.flatMap((s: Json) => s.spans)) {
      normaliseAttributes(span.attributes);
      // An empty parentSpanId and status message are proto3's defaults: the SDK omits them, we write them.
      if (span.parentSpanId === '') delete span.parentSpanId;
      if (span.status.message === '') delete span.status.message;
    }
  }
  return doc;
}

function normaliseSdkTraces(doc: Json, ours: Json): Json {
  const ourSpanList = ours.resourceSpans[0].scopeSpans[0].spans;
  for (const resourceSpans of doc.resourceSpans) {
    normaliseResource(resourceSpans.resource);
    resourceSpans.scopeSpans[0].spans.forEach((span: Json, i: number) => {
      // Our tracer records neither events nor links and drops no attributes: the SDK's
      // counts and lists for them are empty, and we leave them out.
      expect(span).toMatchObject({
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
      });
      for (const field of ['droppedAttributesCount', 'events', 'droppedEventsCount', 'links', 'droppedLinksCount']) {
        delete span[field];
      }
      // Span flags (OTLP 1.1) are optional, 0 meaning unknown: we do not send the W3C
      // flags or whether the parent was remote (the SDK's 0x100/0x200 bits).
      expect(span.flags & 0xff).toBe(TraceFlags.SAMPLED);
      delete span.flags;
      normaliseAttributes(span.attributes);
      const mine = ourSpanList[i];
      for (const field of ['startTimeUnixNano', 'endTimeUnixNano']) {
        sameInstant(mine?.[field], span[field], `${span.name} ${field}`);
        span[field] = mine?.[field];
      }
    });
  }
  return doc;
}

describe('OTLP/JSON traces, against the OpenTelemetry SDK', () => {
  it('Should encode spans as the SDK does: resource, scope, ids, parents, kinds, times, attributes and status', async () => {
    const spans = await ourSpans();
    expect(spans).toHaveLength(6);
    const ours = normaliseOurTraces(asSent(encodeSpans(spans, RESOURCE)));
    const reference = normaliseSdkTraces(decode(JsonTraceSerializer.serializeRequest(sdkSpans(spans))), ours);
    expect(ours).toEqual(reference);
    // The comparison covered what matters: one resource, one scope named edgeplane, every kind and an error.
    const sent = ours.resourceSpans[0].scopeSpans[0];
    expect(sent.scope).toEqual({ name: SCOPE });
    expect(sent.spans.map((s: Json) => s.kind).sort()).toEqual([1, 2, 3, 3, 4, 5]);
    expect(sent.spans.find((s: Json) => s.status.code === 2)?.status.message).toBe('TypeError: fetch failed');
  });
});
