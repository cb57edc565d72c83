import { afterAll, beforeAll, inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import { API_KEY_PREFIX, accessToken } from '../../api/auth/session.ts';
import { parseConfig } from '../../core/config.ts';
import type { AppDeps } from '../../core/deps.ts';
import { randomToken, sha256Hex } from '../../core/encoding.ts';
import { createLogger } from '../../core/logger.ts';
import { dispatcherQueue } from '../../core/queue/job-queue.ts';
import { createMemoryStore } from '../../db/kv/memory.ts';
import { migrate } from '../../db/node/migrate.ts';
import { openPg } from '../../db/node/pg.ts';
import { openPglite } from '../../db/node/pglite.ts';
import { apiKeys, type UserRow, users } from '../../db/schema.ts';
import type { DbHandle } from '../../db/types.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { ROLES, type Role } from '../../vocabulary/permissions.ts';
import type { TestResponse } from './http.ts';
import { guardedWrite, guardSecrets } from './log-guard.ts';

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

/** The signing keys of every app under test, so tokens from one test app verify in another. */
export const TEST_JWT_KEYS = 'test:0123456789abcdef0123456789abcdef0123456789abcdef';
guardSecrets(TEST_JWT_KEYS.slice('test:'.length));

/** The configuration of every app under test, with `settings` (environment variables) on top. */
export function testConfig(settings: Record<string, string> = {}) {
  return parseConfig({
    APP_ENV: 'test',
    ACCESS_LOG: 'false',
    LOG_LEVEL: 'silent',
    JWT_SIGNING_KEYS: TEST_JWT_KEYS,
    RATE_LIMIT_ENABLED: 'false',
    ...settings,
  });
}

/** Builds dependencies for an app under test; override any of them. */
export function testDeps(db: DbHandle, overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    // Rate limits off: their own tests turn them on; here they would couple tests that share an app.
    config: testConfig(),
    db: db.db,
    // Every line is formatted and checked for secrets, then dropped (see log-guard.ts).
    logger: createLogger({ level: 'debug', write: guardedWrite }),
    clock: () => new Date(),
    queue: dispatcherQueue(),
    // In memory, one per app under test: no Redis needed, nothing shared between tests.
    kv: createMemoryStore({ keyPrefix: 'test:' }),
    ...overrides,
  };
}

/** Who a test request comes from: nobody, a signed-in user or an API key of a role. */
export type Identity = 'anonymous' | Role | `${Role}-key`;
export const IDENTITIES: Identity[] = ['anonymous', ...ROLES, ...ROLES.map((r) => `${r}-key` as const)];

/**
 * Creates a user and an API key per role, returning the Bearer credential of each
 * identity. `offline` (a database that is down) mints access tokens only.
 */
export async function createIdentities(deps: AppDeps, offline = false): Promise<Record<Identity, string | null>> {
  const result = { anonymous: null } as Record<Identity, string | null>;
  for (const role of ROLES) {
    if (offline) {
      result[role] = await accessToken(deps, { id: crypto.randomUUID(), role });
      result[`${role}-key`] = null;
      continue;
    }
    const [user] = await deps.db
      .insert(users)
      .values({ email: `${role}-${crypto.randomUUID()}@test.local`, name: `Test ${role}`, role })
      .returning();
    result[role] = await accessToken(deps, user as UserRow);
    const key = `${API_KEY_PREFIX}${randomToken()}`;
    await deps.db
      .insert(apiKeys)
      .values({ name: `test ${role}`, prefix: key.slice(0, 10), keyHash: await sha256Hex(key), role });
    result[`${role}-key`] = key;
  }
  return result;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  /** Bearer credentials per identity (see `request`'s `as`). */
  credentials: Record<Identity, string | null>;
  handle: DbHandle;
  /**
   * Sends a request as `as` (default: an admin user); a `json` body is serialized with
   * the JSON content type. An explicit Authorization header wins.
   */
  request(path: string, init?: RequestInit & { json?: unknown; as?: Identity }): Promise<TestResponse>;
}

/** An app over the worker's database (or an isolated one), ready in `beforeAll`. */
export function useTestApp(
  overrides: Partial<AppDeps> = {},
  options: {
    isolated?: boolean;
    offline?: boolean;
    /** Finishes the dependencies (adds telemetry, say) before the app is built. */
    prepare?: (deps: AppDeps) => AppDeps;
  } = {},
): TestApp {
  const ctx = {} as TestApp;
  const isolated = options.isolated ? useIsolatedDatabase() : undefined;
  beforeAll(async () => {
    ctx.handle = isolated ? isolated.handle : await testDatabase();
    ctx.deps = testDeps(ctx.handle, overrides);
    if (options.prepare) ctx.deps = options.prepare(ctx.deps);
    ctx.app = createApp(ctx.deps);
    ctx.credentials = await createIdentities(ctx.deps, options.offline);
  });
  ctx.request = (path, init = {}) => {
    const { json, as = 'admin', ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined) headers.set('content-type', 'application/json');
    const credential = ctx.credentials[as];
    if (credential && !headers.has('authorization')) headers.set('authorization', `Bearer ${credential}`);
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
