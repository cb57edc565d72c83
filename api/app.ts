import { cors } from 'hono/cors';
import type { AppDeps } from '../core/deps.ts';
import { allowedMethods } from './lib/allowed-methods.ts';
import { createRouter } from './lib/create-router.ts';
import { ApiError, handleError, problemResponse } from './lib/errors.ts';
import { registerDocs } from './lib/openapi.ts';
import { empty } from './lib/respond.ts';
import { accessLog } from './middleware/access-log.ts';
import { authenticate } from './middleware/authenticate.ts';
import { limitBody } from './middleware/body-limit.ts';
import { appContext } from './middleware/context.ts';
import { httpMetrics } from './middleware/http-metrics.ts';
import { apiRateLimit } from './middleware/rate-limit.ts';
import { responseHeaders } from './middleware/response-headers.ts';
import { startupGate } from './middleware/startup-gate.ts';
import { strictText } from './middleware/strict-text.ts';
import { traceRequests } from './middleware/trace-requests.ts';
import { apiKeysRouter } from './routes/api-keys/api-keys.index.ts';
import { auditRouter } from './routes/audit/audit.index.ts';
import { authRouter } from './routes/auth/auth.index.ts';
import { eventsRouter } from './routes/events/events.index.ts';
import { healthRouter } from './routes/health/health.index.ts';
import { importsRouter } from './routes/imports/imports.index.ts';
import { itemsRouter } from './routes/items/items.index.ts';
import { jobsRouter } from './routes/jobs/jobs.index.ts';
import { metricsRouter } from './routes/metrics/metrics.index.ts';
import { reportsRouter } from './routes/reports/reports.index.ts';
import { settingsRouter } from './routes/settings/settings.index.ts';
import { statsRouter } from './routes/stats/stats.index.ts';
import { usersRouter } from './routes/users/users.index.ts';
import { webhooksRouter } from './routes/webhooks/webhooks.index.ts';

/**
 * Paths the API answers itself. Everything else belongs to the dashboard, served from
 * `deps.assets`; on Workers the same list is `run_worker_first` in wrangler.toml.
 */
export const API_PATHS = ['/api/*', '/health/*', '/metrics', '/openapi.json', '/docs'] as const;

function isApiPath(path: string): boolean {
  return API_PATHS.some((p) => (p.endsWith('/*') ? path.startsWith(p.slice(0, -1)) : path === p));
}

/** Builds the whole HTTP application from its dependencies. No runtime-specific code lives here. */
export function createApp(deps: AppDeps) {
  const app = createRouter();

  app.use(responseHeaders());
  app.use(appContext(deps));
  // What a request needs is known now: no middleware decides it again per request.
  app.use(traceRequests(Boolean(deps.telemetry?.tracer)));
  if (deps.telemetry?.metrics) app.use(httpMetrics());
  if (deps.config.accessLog && deps.logger.enabled('info')) app.use(accessLog());
  if (deps.config.corsOrigins.length) {
    app.use(
      '/api/*',
      cors({
        origin: deps.config.corsOrigins,
        allowHeaders: ['Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id', 'Authorization'],
        exposeHeaders: [
          'ETag',
          'Location',
          'X-Request-Id',
          'Retry-After',
          'Idempotent-Replayed',
          'Content-Disposition',
          'RateLimit-Limit',
          'RateLimit-Remaining',
          'RateLimit-Reset',
          'RateLimit-Policy',
        ],
        maxAge: 600,
      }),
    );
  }
  // Before authentication, which reads API keys from the database.
  app.use('/api/*', startupGate());
  app.use(authenticate());
  // After authentication, so a signed-in caller counts in its own bucket. Health probes
  // live outside /api and are never limited.
  if (deps.config.rateLimit.enabled) app.use('/api/*', apiRateLimit(deps));
  app.use(
    '/api/*',
    limitBody({
      maxBytes: deps.config.maxBodyBytes,
      routes: { 'POST /api/v1/items/import': deps.config.jobs.importMaxBytes },
    }),
  );
  // After the size limit, which it reads the body under.
  app.use('/api/*', strictText());

  const routes = app
    .route('/', healthRouter(deps.clock()))
    .route('/', authRouter)
    .route('/', itemsRouter)
    .route('/', jobsRouter)
    .route('/', importsRouter)
    .route('/', reportsRouter)
    .route('/', statsRouter)
    .route('/', webhooksRouter)
    .route('/', usersRouter)
    .route('/', apiKeysRouter)
    .route('/', auditRouter)
    .route('/', eventsRouter)
    .route('/', settingsRouter)
    .route('/', metricsRouter);
  registerDocs(app, deps);

  const allowed = allowedMethods(() => app.routes);
  app.notFound((c) => {
    const { method, path } = c.req;
    if (deps.assets && (method === 'GET' || method === 'HEAD') && !isApiPath(path)) {
      // A copy: a binding's response has immutable headers, and middleware adds its own.
      return deps.assets.fetch(c.req.raw).then((res) => new Response(res.body, res));
    }
    const methods = allowed(path);
    if (methods.length === 0) {
      return problemResponse(c, new ApiError('not_found', { detail: `No route for ${method} ${path}.` }));
    }
    const allow = methods.join(', ');
    // A CORS preflight is answered before this, by the cors middleware.
    if (method === 'OPTIONS') return empty(c, 204, { allow });
    return problemResponse(
      c,
      new ApiError('method_not_allowed', {
        detail: `${path} does not answer ${method}; it answers ${allow}.`,
        headers: { allow },
      }),
    );
  });
  app.onError(handleError);
  return routes;
}

/** The app's type, for Hono's typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;
