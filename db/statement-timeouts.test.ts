import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backend, useTestApp } from '../test/support/harness.ts';
import { openNeonHttp } from './drivers/neon-http.ts';
import { classifyDbError, dbErrorCode } from './errors.ts';
import { openPg } from './node/pg.ts';

/** An HTTP endpoint that takes requests and never answers, as a stalled SQL endpoint would. */
async function silentEndpoint(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('neon-http: a stalled endpoint answers 503, not a hang', () => {
  let endpoint: Awaited<ReturnType<typeof silentEndpoint>>;
  const previous = { fetchFunction: neonConfig.fetchFunction, fetchEndpoint: neonConfig.fetchEndpoint };
  const ref: { db?: ReturnType<typeof openNeonHttp>['db'] } = {};
  beforeAll(async () => {
    endpoint = await silentEndpoint();
    ref.db = openNeonHttp({
      url: 'postgres://app:secret@ep-stalled-123456.eu-central-1.aws.neon.tech/app',
      endpoint: endpoint.url,
      statementTimeoutMs: 300,
    }).db;
  });
  afterAll(async () => {
    // neonConfig is per isolate; other files in this worker keep their own settings.
    neonConfig.fetchFunction = previous.fetchFunction;
    neonConfig.fetchEndpoint = previous.fetchEndpoint;
    await endpoint.close();
  });

  it('Should give up on the query after the statement timeout, as unavailable', async () => {
    const error = await (ref.db as NonNullable<typeof ref.db>)
      .execute(sql`select 1`)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(classifyDbError(error)).toBe('unavailable');
  });

  describe('through the app', () => {
    const t = useTestApp(
      {},
      { offline: true, prepare: (deps) => ({ ...deps, db: ref.db as NonNullable<typeof ref.db> }) },
    );
    it('Should answer 503 with Retry-After', async () => {
      const res = await t.request('/api/v1/items');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
    });
  });
});

describe.skipIf(backend.name !== 'postgres' || backend.skip)(`pg: statement_timeout [${backend.label}]`, () => {
  it('Should cancel a statement that runs too long (57014), classed unavailable, and keep the pool usable', async () => {
    const url = inject('postgresUrl') as string;
    const handle = openPg({ url, poolSize: 1, statementTimeoutMs: 200 });
    try {
      const error = await handle.db
        .execute(sql`select pg_sleep(2)`)
        .then(() => undefined)
        .catch((e: unknown) => e);
      expect(dbErrorCode(error)).toBe('57014');
      expect(classifyDbError(error)).toBe('unavailable');
      const rows = await handle.queryRows<{ ok: number }>('select 1 as ok');
      expect(rows).toEqual([{ ok: 1 }]);
      // Migrations run on a connection of their own, without the limit.
      await handle.runAtomic(['select pg_sleep(0.3)']);
    } finally {
      await handle.close();
    }
  });
});
