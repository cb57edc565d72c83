import type { KeyValueStore } from '../../db/kv/port.ts';

export interface WindowVerdict {
  allowed: boolean;
  limit: number;
  /** Requests left before the limit, as the weighted count stands now. */
  remaining: number;
  /** Seconds until the current fixed window ends (when limited: until the next request fits). */
  resetSeconds: number;
  /** Seconds until one more request fits; 0 while allowed. */
  retryAfterSeconds: number;
}

/**
 * Counts one request against `key` and judges it by a sliding window, approximated
 * from two fixed windows (as Cloudflare and Upstash do): the previous window's count,
 * weighted by how much of it still overlaps the sliding window, plus the current
 * window's count. Two keys per client, one atomic INCR and one GET per request, no
 * scripting, so every store adapter can do it. Refused requests count too: a client
 * that keeps hammering stays limited until it slows down.
 */
export async function hitWindow(
  store: KeyValueStore,
  key: string,
  limit: number,
  windowSeconds: number,
  now: Date,
): Promise<WindowVerdict> {
  const windowMs = windowSeconds * 1000;
  const index = Math.floor(now.getTime() / windowMs);
  const elapsedMs = now.getTime() - index * windowMs;
  const [current, previousRaw] = await Promise.all([
    // The counter lives two windows so the next window can still read it as its previous one.
    store.incr(`${key}:${index}`, windowSeconds * 2),
    store.get(`${key}:${index - 1}`),
  ]);
  const previous = Number(previousRaw ?? 0) || 0;
  const estimate = (previous * (windowMs - elapsedMs)) / windowMs + current;
  const untilWindowEnd = Math.ceil((windowMs - elapsedMs) / 1000);
  if (estimate <= limit) {
    return {
      allowed: true,
      limit,
      remaining: Math.max(0, Math.floor(limit - estimate)),
      resetSeconds: untilWindowEnd,
      retryAfterSeconds: 0,
    };
  }
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil(msUntilNextFits(limit, previous, current, windowMs, elapsedMs) / 1000),
  );
  return { allowed: false, limit, remaining: 0, resetSeconds: retryAfterSeconds, retryAfterSeconds };
}

/**
 * How long until one more request would fit, if none arrive meanwhile: later in this
 * window once enough of the previous window has slid out, else some way into the next
 * window, where this window's count becomes the decaying one.
 */
function msUntilNextFits(limit: number, previous: number, current: number, windowMs: number, elapsedMs: number) {
  if (current + 1 <= limit && previous > 0) {
    // previous * (windowMs - t) / windowMs + current + 1 <= limit, solved for t.
    const t = windowMs * (1 - (limit - current - 1) / previous);
    return Math.max(0, t - elapsedMs);
  }
  const intoNext = Math.max(0, windowMs * (1 - (limit - 1) / current));
  return windowMs - elapsedMs + intoNext;
}
