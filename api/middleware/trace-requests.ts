import type { MiddlewareHandler } from 'hono';
import { scopedDeps } from '../../core/observability/scope.ts';
import { parseTraceparent } from '../../core/observability/trace-context.ts';
import { routeTemplate } from '../lib/route-template.ts';
import type { AppEnv } from '../lib/types.ts';

/**
 * Joins the caller's trace (W3C `traceparent`) or starts one, and gives the request
 * its own deps carrying the span context: its queries become child spans, and the
 * jobs it enqueues and the fetches it makes continue the trace. Without a tracer this
 * creates nothing; an incoming context is still passed on unchanged.
 */
export function traceRequests(tracing: boolean): MiddlewareHandler<AppEnv> {
  // Without a tracer (known when the app is built) there is nothing to end after the
  // handler: pass the caller's context on and stay synchronous.
  if (!tracing) {
    return function passTraceContext(c, next) {
      const incoming = parseTraceparent(c.req.header('traceparent'));
      if (incoming) c.set('deps', { ...c.get('deps'), trace: incoming });
      return next();
    };
  }
  return async function traceRequests(c, next) {
    const deps = c.get('deps');
    const tracer = deps.telemetry?.tracer;
    const incoming = parseTraceparent(c.req.header('traceparent'));
    if (!tracer) return next();
    const method = c.req.method;
    const span = tracer.startSpan(method, {
      parent: incoming,
      kind: 'server',
      attributes: { 'http.request.method': method, 'url.path': c.req.path, 'url.scheme': c.req.url.split(':')[0] },
    });
    c.set('deps', scopedDeps(deps, span.context));
    try {
      await next();
    } finally {
      const route = routeTemplate(c);
      span.updateName(`${method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', c.res.status);
      span.setAttribute('edgeplane.request_id', c.get('requestId'));
      if (c.res.status >= 500) span.recordError(new Error(`HTTP ${c.res.status}`));
      span.end();
    }
  };
}
