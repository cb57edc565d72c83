import { describeError } from '../../db/errors.ts';
import { newSpanId, newTraceId, type SpanContext } from './trace-context.ts';

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue | undefined>;

/** A span once it has ended: what exporters receive. */
export interface FinishedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds (fractional). */
  startTime: number;
  endTime: number;
  attributes: Record<string, AttributeValue>;
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
}

/** Receives ended spans in batches (OTLP over HTTP, or memory in tests). */
export interface SpanExporter {
  export(spans: FinishedSpan[]): Promise<void>;
}

/** A unit of work being timed. Unsampled spans carry a context for propagation and record nothing. */
export interface Span {
  readonly context: SpanContext;
  /** Renames the span (a request's route is known only once it has been matched). */
  updateName(name: string): void;
  setAttribute(key: string, value: AttributeValue | undefined): void;
  /** Marks the span failed, with the error's name and message (never its stack). */
  recordError(error: unknown): void;
  end(): void;
}

export interface StartSpanOptions {
  parent?: SpanContext;
  kind?: SpanKind;
  attributes?: Attributes;
}

export interface Tracer {
  startSpan(name: string, options?: StartSpanOptions): Span;
  /** Sends the spans ended so far; resolves when the exporter has them (or gave up). */
  flush(): Promise<void>;
}

export interface TracerOptions {
  exporter: SpanExporter;
  /** Share of new (parentless) traces that are recorded, 0–1; a parent's sampled flag always wins. */
  sampleRatio?: number;
  /** Spans kept waiting for export at most; beyond it new spans are dropped (and counted). */
  maxQueue?: number;
  /** Spans per export call; reaching it triggers an export without waiting for `flush`. */
  maxBatch?: number;
  onError?: (error: unknown) => void;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * A small tracer: W3C ids, parent-based sampling, spans batched to an exporter.
 * Context is passed explicitly (workerd has no AsyncLocalStorage without
 * nodejs_compat): a request or job carries its span context in its scoped deps.
 */
export function createTracer(options: TracerOptions): Tracer & { dropped(): number } {
  const ratio = options.sampleRatio ?? 1;
  const maxQueue = options.maxQueue ?? 2_048;
  const maxBatch = options.maxBatch ?? 512;
  let queue: FinishedSpan[] = [];
  let dropped = 0;
  let inFlight: Promise<void> = Promise.resolve();

  const exportQueued = (): Promise<void> => {
    if (!queue.length) return inFlight;
    const batch = queue;
    queue = [];
    inFlight = inFlight.then(() => options.exporter.export(batch)).catch((error: unknown) => options.onError?.(error));
    return inFlight;
  };

  return {
    startSpan(spanName, { parent, kind = 'internal', attributes } = {}) {
      let name = spanName;
      const sampled = parent ? parent.sampled : ratio >= 1 || Math.random() < ratio;
      const context: SpanContext = { traceId: parent?.traceId ?? newTraceId(), spanId: newSpanId(), sampled };
      if (!sampled) return nonRecording(context);
      const startTime = now();
      const attrs: Record<string, AttributeValue> = {};
      for (const [k, v] of Object.entries(attributes ?? {})) if (v !== undefined) attrs[k] = v;
      let status: FinishedSpan['status'] = 'unset';
      let statusMessage: string | undefined;
      let ended = false;
      return {
        context,
        updateName(newName) {
          name = newName;
        },
        setAttribute(key, value) {
          if (value !== undefined) attrs[key] = value;
        },
        recordError(error) {
          status = 'error';
          // Spans leave the process too: the same value-free description as log lines.
          const described = describeError(error);
          statusMessage = `${described.name}${described.code ? ` ${described.code}` : ''}: ${described.message}`;
        },
        end() {
          if (ended) return;
          ended = true;
          if (queue.length >= maxQueue) {
            dropped++;
            return;
          }
          queue.push({
            traceId: context.traceId,
            spanId: context.spanId,
            parentSpanId: parent?.spanId,
            name,
            kind,
            startTime,
            endTime: now(),
            attributes: attrs,
            status,
            statusMessage,
          });
          if (queue.length >= maxBatch) void exportQueued();
        },
      };
    },
    flush: exportQueued,
    dropped: () => dropped,
  };
}

function nonRecording(context: SpanContext): Span {
  return { context, updateName() {}, setAttribute() {}, recordError() {}, end() {} };
}

/** Keeps exported spans in memory, for tests. */
export function memorySpanExporter(): SpanExporter & { spans: FinishedSpan[] } {
  const spans: FinishedSpan[] = [];
  return {
    spans,
    async export(batch) {
      spans.push(...batch);
    },
  };
}
