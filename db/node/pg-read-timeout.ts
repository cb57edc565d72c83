import type pg from 'pg';

/** A pooled client as the watch reads it: pg's own flag, false while a query awaits the server. */
type WatchedClient = pg.PoolClient & { readyForQuery?: boolean };

interface Progress {
  /** Queries this connection has finished (the server's ReadyForQuery messages). */
  finished: number;
  /** `finished` when the watch last looked, and since when it has not moved with a query waiting. */
  seen: number;
  waitingSince: number | undefined;
}

export interface ReadTimeoutWatch {
  stop(): void;
}

/**
 * The client-side limit on a server that does not answer at all (frozen, or cut off by a
 * network partition): a connection whose query has had no answer for `limitMs` is
 * destroyed, its query fails with `Query read timeout` (classed unavailable: a 503) and
 * the pool replaces the connection. A live server answers long before, with its own
 * statement_timeout.
 *
 * This is pg's `query_timeout`, kept per connection instead of per query. pg's arms a
 * timer for every query whose callback holds the query, its rows and, through the caller
 * awaiting it, the request: under load those pushed a request's garbage into the old
 * generation, and the first page of items cost 235 to 240 CPU µs per request instead of
 * 198 to 201, with twice the time collecting garbage and p99 7 ms instead of 5 (scratch
 * A/B runs of the bench's load, two rounds each). Here one timer per pool looks at each
 * connection every `limitMs / 4` (at most 1 s): a query is given up on no sooner than
 * `limitMs` after it was sent, and at most two looks later.
 */
export function watchReadTimeouts(pool: pg.Pool, limitMs: number): ReadTimeoutWatch {
  const progress = new Map<WatchedClient, Progress>();
  pool.on('connect', (client: WatchedClient) => {
    const state: Progress = { finished: 0, seen: 0, waitingSince: undefined };
    progress.set(client, state);
    client.connection.on('readyForQuery', () => {
      state.finished++;
    });
  });
  pool.on('remove', (client: WatchedClient) => progress.delete(client));

  const look = () => {
    const now = performance.now();
    for (const [client, state] of progress) {
      if (client.readyForQuery !== false || state.finished !== state.seen) {
        state.seen = state.finished;
        state.waitingSince = client.readyForQuery === false ? now : undefined;
      } else if (state.waitingSince === undefined) {
        state.waitingSince = now;
      } else if (now - state.waitingSince >= limitMs) {
        progress.delete(client);
        client.connection.stream.destroy(new Error('Query read timeout'));
      }
    }
  };
  // Never what keeps a finished process (a CLI, a test) alive.
  const timer = setInterval(look, Math.min(1_000, Math.max(10, Math.floor(limitMs / 4)))).unref();
  return { stop: () => clearInterval(timer) };
}
