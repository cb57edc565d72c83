import type { Context, MiddlewareHandler } from 'hono';
import { getRuntimeKey } from 'hono/adapter';
import type { AppDeps } from '../../core/deps.ts';
import { hitWindow, type WindowVerdict } from '../../core/kv/sliding-window.ts';
import type { Logger } from '../../core/logger.ts';
import type { AppMetrics } from '../../core/observability/app-metrics.ts';
import type { KeyValueStore } from '../../db/kv/port.ts';
import { type ClientIpOptions, clientIp } from '../lib/client-ip.ts';
import { ApiError, problemResponse } from '../lib/errors.ts';
import { addResponseHeaders } from '../lib/respond.ts';
import { RATE_LIMIT_EXEMPT, routeKey } from '../lib/route-key.ts';
import { routeTemplate } from '../lib/route-template.ts';
import type { AppEnv } from '../lib/types.ts';

/** What a request does while the store is down: `open` is served unlimited, `closed` gets a 503. */
export type StoreDownPolicy = 'open' | 'closed';

export interface RouteRateLimit {
  /** Names the route's bucket, counted per client IP whoever is signed in. */
  name: string;
  limit: number;
  whenStoreDown?: StoreDownPolicy;
}

export interface RateLimitOptions {
  store: KeyValueStore;
  clock: () => Date;
  logger: Logger;
  /** Requests per window of an anonymous client, per IP address. */
  anonymousLimit: number;
  /** Requests per window of a signed-in user or API key, per actor, whatever its address. */
  actorLimit: number;
  /** Default 60. */
  windowSeconds?: number;
  /** Stricter limits keyed `METHOD /path` (login); such a request counts in its route's bucket only. */
  routes?: Record<string, RouteRateLimit>;
  /** Never limited, keyed `METHOD /path` (QStash deliveries, which retry on their own). */
  exempt?: string[];
  /** Writes (not GET/HEAD/OPTIONS) without a route policy while the store is down; default `open`. */
  writesWhenStoreDown?: StoreDownPolicy;
  ip: ClientIpOptions;
  /** Counts refusals in `rate_limit_rejections_total`. */
  metrics?: AppMetrics;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** API routes the limit never applies to, keyed `METHOD /path`: QStash deliveries retry on their own. */

/**
 * Limits requests per client with a sliding window over the key-value store, and
 * reports the standing in `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Reset` (seconds) on every limited response; over the limit it answers
 * 429 with `Retry-After`. The client is the actor when someone is signed in, else the
 * IP address, so it must run after authentication.
 *
 * When the store fails, reads are served (a stale limit costs little), a route may
 * insist on `closed` (login: guessing passwords unlimited is worse than a short
 * outage), and other writes follow `writesWhenStoreDown` (default `open`: refusing
 * every write over a cache outage would turn it into an API outage).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const windowSeconds = options.windowSeconds ?? 60;
  const routes = new Map(Object.entries(options.routes ?? {}));
  const exempt = new Set(options.exempt ?? []);

  return async function rateLimit(c, next) {
    const route = routeKey(c);
    if (exempt.has(route)) return next();
    const routeLimit = routes.get(route);
    const bucket = bucketOf(c, routeLimit, options);

    let verdict: WindowVerdict;
    try {
      verdict = await hitWindow(options.store, bucket.key, bucket.limit, windowSeconds, options.clock());
    } catch (error) {
      const policy = READS.has(c.req.method)
        ? 'open'
        : (routeLimit?.whenStoreDown ?? options.writesWhenStoreDown ?? 'open');
      options.logger.warnThrottled('rate limit store unavailable', {
        method: c.req.method,
        route: routeTemplate(c),
        policy,
        error,
      });
      if (policy === 'open') return next();
      return problemResponse(
        c,
        new ApiError('service_unavailable', {
          detail: 'Rate limiting is unavailable, so this request cannot be accepted now; try again shortly.',
          headers: { 'retry-after': '5' },
        }),
      );
    }

    const headers = {
      'ratelimit-limit': String(verdict.limit),
      'ratelimit-remaining': String(verdict.remaining),
      'ratelimit-reset': String(verdict.resetSeconds),
      'ratelimit-policy': `${verdict.limit};w=${windowSeconds}`,
    };
    if (!verdict.allowed) {
      options.metrics?.rateLimited.inc({ bucket: bucket.kind });
      return problemResponse(
        c,
        new ApiError('rate_limited', {
          detail: `Too many requests: the limit is ${verdict.limit} per ${windowSeconds} seconds. Retry after ${verdict.retryAfterSeconds} seconds.`,
          headers: { ...headers, 'retry-after': String(verdict.retryAfterSeconds) },
        }),
      );
    }
    // On whatever response the request gets, the handler's own included.
    addResponseHeaders(c, headers);
    return next();
  };
}

/** The bucket a request counts in: its route's, its actor's, or its address's. */
function bucketOf(c: Context<AppEnv>, routeLimit: RouteRateLimit | undefined, options: RateLimitOptions) {
  if (routeLimit) {
    return {
      key: `rl:${routeLimit.name}:ip:${clientIp(c, options.ip)}`,
      limit: routeLimit.limit,
      kind: routeLimit.name,
    };
  }
  const actor = c.get('actor');
  if (actor && actor.type !== 'anonymous' && actor.id !== null) {
    return { key: `rl:${actor.type}:${actor.id}`, limit: options.actorLimit, kind: actor.type };
  }
  return { key: `rl:ip:${clientIp(c, options.ip)}`, limit: options.anonymousLimit, kind: 'ip' };
}

/**
 * The API's limits from configuration: per client in general, stricter for login
 * (fail-closed), none for QStash deliveries (signed, and retried by QStash anyway).
 */
export function apiRateLimit(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const { rateLimit: limits, trustProxy } = deps.config;
  return rateLimit({
    store: deps.kv,
    clock: deps.clock,
    logger: deps.logger,
    anonymousLimit: limits.anonymousPerMinute,
    actorLimit: limits.userPerMinute,
    routes: { 'POST /api/v1/auth/login': { name: 'login', limit: limits.loginPerMinute, whenStoreDown: 'closed' } },
    exempt: [...RATE_LIMIT_EXEMPT],
    writesWhenStoreDown: limits.writesWhenStoreDown,
    ip: { cloudflare: getRuntimeKey() === 'workerd', trustProxy, connInfo: deps.getConnInfo },
    metrics: deps.telemetry?.metrics,
  });
}
