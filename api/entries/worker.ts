import type { ExecutionContext } from 'hono';
import { buildDeps } from '../../core/build-deps.ts';
import { type AppConfig, ConfigError, parseConfig } from '../../core/config.ts';
import type { AppDeps, AssetFetcher } from '../../core/deps.ts';
import { createLogger } from '../../core/logger.ts';
import { recordQueueMetrics } from '../../core/observability/queue-metrics.ts';
import { createTelemetry } from '../../core/observability/telemetry.ts';
import { openNeonHttp } from '../../db/drivers/neon-http.ts';
import { createMemoryStore } from '../../db/kv/memory.ts';
import type { KeyValueSettings, KeyValueStore } from '../../db/kv/port.ts';
import { createUpstashStore } from '../../db/kv/upstash.ts';
import { runMaintenance } from '../../jobs/maintenance.ts';
import { createApp } from '../app.ts';

type App = ReturnType<typeof createApp>;
type Built = { deps: AppDeps; app: App };

/** Parses the bindings once per isolate; the app and its clients are reused across requests. */
let cached: { env: object; built: Built | ConfigError } | undefined;

function build(env: Record<string, unknown>): Built {
  const config: AppConfig = parseConfig({ ...env, DATABASE_DRIVER: env.DATABASE_DRIVER ?? 'neon-http' });
  if (config.database.driver !== 'neon-http') {
    throw new ConfigError([{ field: 'DATABASE_DRIVER', message: 'the Worker supports only neon-http' }]);
  }
  const { db } = openNeonHttp({
    url: config.database.url as string,
    endpoint: config.database.neonEndpoint,
    statementTimeoutMs: config.database.statementTimeoutMs,
  });
  const logger = createLogger({ level: config.logLevel, redactKeys: config.observability.redactKeys });
  // Isolates share no memory, so there is no /metrics here: measurements are pushed over OTLP.
  const telemetry = createTelemetry(config, { metricsMode: 'push', logger, runtime: 'workerd' });
  // Workers static assets answer dashboard paths before the Worker runs; the binding covers
  // the rest (a page path that reaches the Worker, as in tests).
  const assets = isFetcher(env.ASSETS) ? env.ASSETS : undefined;
  const deps = buildDeps(config, { db, kv: openKv(config.kv), logger, telemetry, assets });
  return { deps, app: createApp(deps) };
}

function isFetcher(value: unknown): value is AssetFetcher {
  return typeof value === 'object' && value !== null && typeof (value as AssetFetcher).fetch === 'function';
}

/** Upstash when configured, else memory of this isolate only (counters are not shared between isolates). */
function openKv(kv: KeyValueSettings): KeyValueStore {
  if (kv.driver === 'redis') {
    // Workers have no TCP Redis client here (no nodejs_compat): only Upstash's REST API.
    throw new ConfigError([
      {
        field: 'REDIS_URL',
        message: 'the Worker reaches Redis only over REST: set the UPSTASH_REDIS_REST_* pair instead',
      },
    ]);
  }
  return kv.upstash
    ? createUpstashStore({ ...kv.upstash, keyPrefix: kv.keyPrefix })
    : createMemoryStore({ keyPrefix: kv.keyPrefix });
}

function builtFor(env: Record<string, unknown>): Built | ConfigError {
  if (cached?.env !== env) {
    try {
      cached = { env, built: build(env) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      cached = { env, built: error };
    }
  }
  return cached.built;
}

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Response | Promise<Response> {
    const built = builtFor(env);
    if (built instanceof ConfigError) {
      // Misconfiguration is reported, naming the fields, instead of failing later per route.
      return new Response(
        JSON.stringify({
          type: 'urn:edgeplane:problem:service_unavailable',
          title: 'Service unavailable',
          status: 503,
          code: 'service_unavailable',
          detail: built.message,
        }),
        { status: 503, headers: { 'content-type': 'application/problem+json' } },
      );
    }
    const response = built.app.fetch(request, env, ctx);
    const { telemetry } = built.deps;
    if (!telemetry?.exporting) return response;
    // Spans (and metrics, when due) leave after the response, while the isolate is still alive.
    return Promise.resolve(response).then((res) => {
      ctx.waitUntil(telemetry.flush());
      return res;
    });
  },

  /** Cron triggers (wrangler.toml): job upkeep, the outbox relay and the daily cleanup. */
  scheduled(_controller: unknown, env: Record<string, unknown>, ctx: ExecutionContext): void {
    const built = builtFor(env);
    if (built instanceof ConfigError) return;
    const { deps } = built;
    ctx.waitUntil(
      runMaintenance(deps)
        .then(
          (result) => deps.logger.info('scheduled maintenance', result),
          (error: unknown) => deps.logger.error('scheduled maintenance failed', { error }),
        )
        // Queue depth is read here, once per tick, rather than by every isolate on every push.
        .then(() => recordQueueMetrics(deps))
        .then(() => deps.telemetry?.flush({ force: true })),
    );
  },
};
