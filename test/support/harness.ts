import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import { parseConfig } from '../../api/config.ts';
import { createLogger } from '../../api/lib/logger.ts';
import type { AppDeps } from '../../api/lib/types.ts';
import { createMemoryStore } from '../../db/kv/memory.ts';
import { migrate } from '../../db/node/migrate.ts';
import { openPg } from '../../db/node/pg.ts';
import { openPglite } from '../../db/node/pglite.ts';
import type { DbHandle } from '../../db/types.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { dispatcherQueue } from '../../jobs/queue.ts';
import type { TestResponse } from './http.ts';

type BackendName = 'pglite' | 'postgres';

/** Which database this test project runs against, and why it is skipped if it is. */
export const backend = resolveBackend();

function resolveBackend(): { name: BackendName; label: string; skip: boolean } {
  const name: BackendName = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
  if (name === 'postgres' && !inject('postgresUrl')) {
    return { name, label: 'postgres (skipped: TEST_DATABASE_URL is not set)', skip: true };
  }
  return { name, label: name, skip: false };
}

// One database per test worker, shared by the files it runs (projects set isolate: false).
let shared: Promise<DbHandle> | undefined;

async function openShared(): Promise<DbHandle> {
  if (backend.name === 'postgres') {
    return openPg({ url: inject('postgresUrl') as string, poolSize: 4 });
  }
  const handle = await openPglite();
  await migrate(handle);
  return handle;
}

/** The shared database of this worker (migrated). */
export function testDatabase(): Promise<DbHandle> {
  shared ??= openShared();
  return shared;
}

/**
 * A database of this file's own, for tests that act on whole tables (job dispatch,
 * retention): on Postgres a fresh migrated database, dropped after the file; on
 * PGlite the worker's instance, emptied first.
 */
export function useIsolatedDatabase(): { handle: DbHandle; url?: string } {
  const ref = {} as { handle: DbHandle; url?: string };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (backend.name !== 'postgres') {
      // Files of one worker run one at a time: emptying every table isolates this one.
      ref.handle = await testDatabase();
      const tables = await ref.handle.queryRows<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'",
      );
      await ref.handle.runAtomic([`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`]);
      return;
    }
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string, 'edgeplane_test_iso');
    ref.url = scratch.url;
    ref.handle = openPg({ url: scratch.url, poolSize: 4 });
    await migrate(ref.handle);
    drop = async () => {
      await ref.handle.close();
      await scratch.drop();
    };
  });
  afterAll(async () => {
    await drop?.();
  });
  return ref;
}

/** Builds dependencies for an app under test; override any of them. */
export function testDeps(db: DbHandle, overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    // Rate limits off: their own tests turn them on; here they would couple tests that share an app.
    config: parseConfig({ APP_ENV: 'test', ACCESS_LOG: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_ENABLED: 'false' }),
    db: db.db,
    logger: createLogger({ level: 'silent' }),
    clock: () => new Date(),
    queue: dispatcherQueue(),
    // In memory, one per app under test: no Redis needed, nothing shared between tests.
    kv: createMemoryStore({ keyPrefix: 'test:' }),
    ...overrides,
  };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  handle: DbHandle;
  /** Sends a request; a `json` body is serialized with the JSON content type. */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<TestResponse>;
}

/** An app over the worker's database (or an isolated one), ready in `beforeAll`. */
export function useTestApp(overrides: Partial<AppDeps> = {}, options: { isolated?: boolean } = {}): TestApp {
  const ctx = {} as TestApp;
  const isolated = options.isolated ? useIsolatedDatabase() : undefined;
  beforeAll(async () => {
    ctx.handle = isolated ? isolated.handle : await testDatabase();
    ctx.deps = testDeps(ctx.handle, overrides);
    ctx.app = createApp(ctx.deps);
  });
  ctx.request = (path, init = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return Promise.resolve(
      ctx.app.request(path, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) }),
    );
  };
  return ctx;
}

/** A string unique to one test, for titles and tags its assertions can filter on. */
export function unique(prefix = 't'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
