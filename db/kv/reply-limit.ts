import { beforeDeadline, LATE } from '../deadline.ts';
import type { KeyValueStore } from './port.ts';

/** A call given up on: the store took longer than the limit, or did not answer a moment ago. */
export class KeyValueTimeoutError extends Error {
  override name = 'KeyValueTimeoutError';
}

export interface ReplyLimitOptions {
  /** What the store is called in errors: `Redis`, `Upstash`. */
  name: string;
  /** How long a call waits for its answer before it fails. */
  limitMs: number;
  /** After a late answer, how long every call fails at once; default 1 s. */
  stalledMs?: number;
  /** Told once when the store stops answering (not once per call). */
  onStall?: (error: KeyValueTimeoutError) => void;
}

/**
 * The store with a limit on each call's wait for its answer. A store whose connection
 * stays open but no longer answers (a frozen server, a partition, a REST endpoint that
 * accepts and stalls) fails the call after `limitMs`; then, for `stalledMs`, every call
 * fails at once, so a request waits for the store at most once per that period rather
 * than once per call. Callers (rate limits, the cache) treat the failure as the store
 * being down. A call given up on still runs to its end; its outcome is dropped.
 */
export function limitReplies(store: KeyValueStore, options: ReplyLimitOptions): KeyValueStore {
  const { name, limitMs, stalledMs = 1_000 } = options;
  let stalledUntil = 0;
  const limited = async <T>(call: () => Promise<T>): Promise<T> => {
    if (stalledUntil !== 0 && Date.now() < stalledUntil) {
      throw new KeyValueTimeoutError(`${name} did not answer within ${limitMs} ms a moment ago`);
    }
    const pending = call();
    const answer = await beforeDeadline(pending, limitMs);
    if (answer !== LATE) {
      stalledUntil = 0;
      return answer;
    }
    // Its outcome no longer matters, but a rejection must not go unhandled.
    pending.catch(() => {});
    const stalled = new KeyValueTimeoutError(`${name} did not answer within ${limitMs} ms`);
    if (stalledUntil === 0) options.onStall?.(stalled);
    stalledUntil = Date.now() + stalledMs;
    throw stalled;
  };
  return {
    kind: store.kind,
    get: (key) => limited(() => store.get(key)),
    mget: (keys) => limited(() => store.mget(keys)),
    set: (key, value, ttlSeconds) => limited(() => store.set(key, value, ttlSeconds)),
    del: (keys) => limited(() => store.del(keys)),
    incr: (key, ttlSeconds) => limited(() => store.incr(key, ttlSeconds)),
    ping: () => limited(() => store.ping()),
    close: () => store.close(),
  };
}
