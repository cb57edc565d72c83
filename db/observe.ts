import type { Database } from './types.ts';

/**
 * Called when a query starts; the function it returns is called when the query
 * settles (with the error if it failed).
 */
export type QueryObserver = (operation: string, statement: string) => (error?: unknown) => void;

interface SessionLike {
  prepareQuery(query: { sql: string }, ...rest: unknown[]): { execute(...args: unknown[]): Promise<unknown> };
  batch?(queries: unknown[]): Promise<unknown>;
  transaction?(run: (tx: Database) => Promise<unknown>, config?: unknown): Promise<unknown>;
}

/** `select`, `insert`, `update`, `delete`, `with`… from a statement: a bounded label. */
export function operationOf(statement: string): string {
  const word = /^\s*\(?\s*([a-z]+)/i.exec(statement)?.[1]?.toLowerCase();
  return word && ['select', 'insert', 'update', 'delete', 'with'].includes(word) ? word : 'other';
}

async function timed<T>(observer: QueryObserver, operation: string, statement: string, run: () => Promise<T>) {
  const done = observer(operation, statement);
  try {
    const result = await run();
    done();
    return result;
  } catch (error) {
    done(error);
    throw error;
  }
}

/**
 * A view of `db` whose every round trip is reported to `observer`, on any driver.
 * Drizzle builders run their statements through `db.session.prepareQuery(...)
 * .execute()` (and neon-http batches through `session.batch`), so a proxy on the
 * session sees all of them without touching the driver clients. The original `db`
 * is left as it is.
 */
export function observeQueries(db: Database, observer: QueryObserver): Database {
  // Built on first use: a request that runs no query pays for no proxy.
  let session: SessionLike | undefined;
  return new Proxy(db, {
    get(d, property, receiver) {
      if (property !== 'session') return Reflect.get(d, property, receiver);
      session ??= observeSession((d as unknown as { session: SessionLike }).session, observer);
      return session;
    },
  });
}

function observeSession(target: SessionLike, observer: QueryObserver): SessionLike {
  return new Proxy(target, {
    get(s, property, receiver) {
      if (property === 'prepareQuery') {
        return (query: { sql: string }, ...rest: unknown[]) => {
          const prepared = s.prepareQuery.call(receiver, query, ...rest);
          // Each call returns a fresh prepared query: wrapping its execute in place keeps
          // drizzle's own code off a proxy (property reads through a trap cost on every query).
          const execute = prepared.execute;
          // A prepared statement runs many times: its operation is read from its text once.
          const operation = operationOf(query.sql);
          prepared.execute = (...args: unknown[]) =>
            timed(observer, operation, query.sql, () => execute.apply(prepared, args));
          return prepared;
        };
      }
      if (property === 'batch' && s.batch) {
        const batch = s.batch;
        return (queries: unknown[]) =>
          timed(observer, 'batch', `batch of ${queries.length}`, () => batch.call(s, queries));
      }
      if (property === 'transaction' && s.transaction) {
        const transaction = s.transaction;
        return (run: (tx: Database) => Promise<unknown>, config?: unknown) =>
          transaction.call(s, (tx: Database) => run(observeQueries(tx, observer)), config);
      }
      return Reflect.get(s, property, receiver);
    },
  });
}
