import type { ExecutionContext } from 'hono';
import { openNeonHttp } from '../../db/drivers/neon-http.ts';
import { unconfiguredQueue } from '../../jobs/queue.ts';
import { createApp } from '../app.ts';
import { type AppConfig, ConfigError, parseConfig } from '../config.ts';
import { createLogger } from '../lib/logger.ts';

type App = ReturnType<typeof createApp>;

/** Parses the bindings once per isolate; the app and its Neon client are reused across requests. */
let cached: { env: object; app: App } | { env: object; error: ConfigError } | undefined;

function build(env: Record<string, unknown>): App {
  const config: AppConfig = parseConfig({ ...env, DATABASE_DRIVER: env.DATABASE_DRIVER ?? 'neon-http' });
  if (config.database.driver !== 'neon-http') {
    throw new ConfigError([{ field: 'DATABASE_DRIVER', message: 'the Worker supports only neon-http' }]);
  }
  const db = openNeonHttp({ url: config.database.url as string, endpoint: config.database.neonEndpoint });
  const logger = createLogger({ level: config.logLevel });
  return createApp({
    config,
    db: db.db,
    logger,
    clock: () => new Date(),
    queue: unconfiguredQueue((message) => logger.warn(message)),
  });
}

function appFor(env: Record<string, unknown>): App | ConfigError {
  if (cached?.env !== env) {
    try {
      cached = { env, app: build(env) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      cached = { env, error };
    }
  }
  return 'app' in cached ? cached.app : cached.error;
}

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Response | Promise<Response> {
    const app = appFor(env);
    if (app instanceof ConfigError) {
      // Misconfiguration is reported, naming the fields, instead of failing later per route.
      return new Response(
        JSON.stringify({
          type: 'urn:edgeplane:problem:service_unavailable',
          title: 'Service unavailable',
          status: 503,
          code: 'service_unavailable',
          detail: app.message,
        }),
        { status: 503, headers: { 'content-type': 'application/problem+json' } },
      );
    }
    return app.fetch(request, env, ctx);
  },
};
