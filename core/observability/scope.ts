import { observeQueries, type QueryObserver } from '../../db/observe.ts';
import type { AppDeps } from '../deps.ts';
import type { AppMetrics } from './app-metrics.ts';
import { formatTraceparent, type SpanContext } from './trace-context.ts';
import type { Tracer } from './tracer.ts';

const MAX_STATEMENT = 2_000;

/** Times every query into `db_query_duration_seconds`. */
export function queryMetrics(metrics: AppMetrics): QueryObserver {
  return (operation) => {
    const started = performance.now();
    return (error) =>
      metrics.dbDuration.observe({ operation, outcome: error ? 'error' : 'ok' }, (performance.now() - started) / 1000);
  };
}

/** Makes every query a client span under `parent` (the statement, never its parameters). */
export function querySpans(tracer: Tracer, parent: SpanContext): QueryObserver {
  return (operation, statement) => {
    const span = tracer.startSpan(`db ${operation}`, {
      parent,
      kind: 'client',
      attributes: {
        'db.system.name': 'postgresql',
        'db.operation.name': operation,
        'db.query.text': statement.slice(0, MAX_STATEMENT),
      },
    });
    return (error) => {
      if (error) span.recordError(error);
      span.end();
    };
  };
}

/** The process-wide deps with database round trips measured; built once by an entry. */
export function instrumentDeps(deps: AppDeps): AppDeps {
  const metrics = deps.telemetry?.metrics;
  return metrics ? { ...deps, db: observeQueries(deps.db, queryMetrics(metrics)) } : deps;
}

/**
 * A copy of `deps` for one unit of work in the trace `context`: what it enqueues and
 * fetches carries the context on, and (when sampled) each query is a child span.
 */
export function scopedDeps(deps: AppDeps, context: SpanContext): AppDeps {
  const tracer = deps.telemetry?.tracer;
  const db = tracer && context.sampled ? observeQueries(deps.db, querySpans(tracer, context)) : deps.db;
  return { ...deps, db, trace: context };
}

/** The `traceparent` of the current unit of work, for a record or message that outlives it. */
export const currentTraceparent = (deps: AppDeps): string | null => (deps.trace ? formatTraceparent(deps.trace) : null);

/**
 * `fetch` that joins the current trace: a client span (when tracing) and the
 * `traceparent` header, so the receiver's work is part of the same trace.
 */
export async function tracedFetch(deps: AppDeps, url: string, init: RequestInit = {}): Promise<Response> {
  const tracer = deps.telemetry?.tracer;
  const method = init.method ?? 'GET';
  const span =
    tracer && deps.trace
      ? tracer.startSpan(method, {
          parent: deps.trace,
          kind: 'client',
          attributes: { 'http.request.method': method, 'server.address': new URL(url).host },
        })
      : undefined;
  const context = span?.context ?? deps.trace;
  const headers = new Headers(init.headers);
  if (context) headers.set('traceparent', formatTraceparent(context));
  try {
    const response = await fetch(url, { ...init, headers });
    span?.setAttribute('http.response.status_code', response.status);
    if (response.status >= 500) span?.recordError(new Error(`HTTP ${response.status}`));
    return response;
  } catch (error) {
    span?.recordError(error);
    throw error;
  } finally {
    span?.end();
  }
}
