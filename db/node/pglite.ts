import * as v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import * as schema from '../schema.ts';
import type { Database, DbHandle } from '../types.ts';

export interface PgliteOptions {
  /** A directory to keep data in; omitted means in memory. */
  dataDir?: string;
}

/**
 * PGlite backs Postgres's shared memory with WebAssembly memory it zeroes at every open:
 * at the default 128 MB of shared buffers, opening an existing data directory spent about
 * 90 ms in memset and 0.5 s on the main thread in all; with 16 MB, 15 ms and 0.28 s.
 * 16 MB still holds every page of a local sandbox, and the operating system caches the
 * files beneath it.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * V8 first compiles WebAssembly with its baseline compiler and recompiles a function with
 * its optimizing one once it has run for a budget. At the default budget, Postgres's own
 * start-up (recovery, catalog reads, the first queries) sent many of its functions to the
 * optimizer: about 1 s of CPU on background threads during an open, on two cores
 * competing with the start itself, and Node waited for those threads before it accepted
 * the first connection. With 1,000 times the budget only what stays hot is optimized: a warm
 * start of the Node bundle used 0.9 s of CPU instead of 1.9 s and answered in 0.76 s
 * instead of 1.22 s (medians of six), while a heavy query (aggregating 200,000 rows) ran as
 * fast as before from its third run. Process-wide, which is fine: PGlite is the only
 * WebAssembly a server runs.
 */
try {
  // Deno and Bun provide node:v8 in part; Bun's engine is not V8 and tiers in its own way.
  v8.setFlagsFromString?.('--wasm-tiering-budget=1800000000');
} catch {
  // Nothing to tune there.
}

/** Creates the embedded Postgres with the extensions the migrations need. */
export async function createPglite(options: PgliteOptions = {}): Promise<PGlite> {
  return PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm }, startParams: START_PARAMS });
}

/** The embedded default: Postgres compiled to WebAssembly, in process. */
export async function openPglite(options: PgliteOptions | { client: PGlite } = {}): Promise<DbHandle> {
  const client = 'client' in options ? options.client : await createPglite(options);
  const db = drizzle({ client, schema });
  return {
    db: db as unknown as Database,
    driver: 'pglite',
    async runAtomic(statements) {
      await client.transaction(async (tx) => {
        for (const statement of statements) await tx.exec(statement);
      });
    },
    async queryRows<T>(statement: string) {
      const result = await client.query<T>(statement);
      return result.rows;
    },
    listen: (channel, onNotify) => client.listen(channel, () => onNotify()),
    close: () => client.close(),
  };
}
