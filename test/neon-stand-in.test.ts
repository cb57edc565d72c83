import { randomUUID } from 'node:crypto';
import { type NeonQueryFunction, neon } from '@neondatabase/serverless';
import { eq, sql } from 'drizzle-orm';
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNeonHttp } from '../db/drivers/neon-http.ts';
import { classifyDbError, dbErrorCode, dbErrorConstraint } from '../db/errors.ts';
import { migrate } from '../db/node/migrate.ts';
import { createItem } from '../db/queries/items.ts';
import * as schema from '../db/schema.ts';
import { type NeonStandIn, startNeonStandIn } from '../dev/neon-stand-in.ts';
import { createScratchDatabase } from '../dev/scratch-database.ts';

// The real Neon client and drizzle neon-http, talking HTTP to the stand-in, which runs
// the SQL on PGlite (always) and on a scratch database of TEST_DATABASE_URL's server.

interface Started {
  standIn: NeonStandIn;
  databaseUrl: string;
  dispose(): Promise<void>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

const backends: { label: string; skip: boolean; start(): Promise<Started> }[] = [
  {
    label: 'pglite',
    skip: false,
    async start() {
      const standIn = await startNeonStandIn();
      // Any user, host and database: PGlite has one database.
      return { standIn, databaseUrl: 'postgres://postgres@pglite.local/edgeplane', dispose: () => standIn.close() };
    },
  },
  {
    label: serverUrl ? 'postgres' : 'postgres (skipped: TEST_DATABASE_URL is not set)',
    skip: !serverUrl,
    async start() {
      const scratch = await createScratchDatabase(serverUrl as string, 'edgeplane_neon');
      const standIn = await startNeonStandIn({ upstreamUrl: serverUrl });
      return {
        standIn,
        databaseUrl: scratch.url,
        async dispose() {
          await standIn.close();
          await scratch.drop();
        },
      };
    },
  },
];

const unique = (label: string) => `${label} ${randomUUID()}`;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`Neon stand-in over ${backend.label}`, () => {
    let started: Started;
    let client: NeonQueryFunction<false, false>;
    let db: NeonHttpDatabase<typeof schema>;

    beforeAll(async () => {
      started = await backend.start();
      // The app's own driver and migrator, through the stand-in: the edge path end to end.
      const handle = openNeonHttp({ url: started.databaseUrl, endpoint: started.standIn.url });
      await migrate(handle);
      client = neon(started.databaseUrl);
      db = drizzle({ client, schema });
    });
    afterAll(async () => {
      await started?.dispose();
    });

    it('Should return values the Neon client parses by type (timestamptz, jsonb, text[], int, bool, null)', async () => {
      const result = await client.query(
        `select '2026-03-04T05:06:07.089Z'::timestamptz as at, '{"a":[1,"x"]}'::jsonb as doc,
                array['a', 'b c', null]::text[] as list, 42::int as n, true as yes, null::text as nothing,
                $1::text as param`,
        ["it's"],
        { fullResults: true },
      );
      expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
        ['at', 1184],
        ['doc', 3802],
        ['list', 1009],
        ['n', 23],
        ['yes', 16],
        ['nothing', 25],
        ['param', 25],
      ]);
      const [row] = result.rows;
      // drizzle's neon-http driver makes the client keep timestamps as text (it parses them itself).
      expect(new Date(row?.at).toISOString()).toBe('2026-03-04T05:06:07.089Z');
      expect(row).toMatchObject({ doc: { a: [1, 'x'] }, list: ['a', 'b c', null], n: 42, yes: true, param: "it's" });
      expect(row?.nothing).toBeNull();
    });

    it('Should insert and read back rows through drizzle neon-http', async () => {
      const title = unique('stand-in insert');
      const due = new Date('2026-05-06T07:08:09.123Z');
      const { item: created, jobsQueued } = await createItem(
        db as never,
        { title, tags: ['stand-in', 'a b'], dueAt: due, priority: 'high' },
        { actorType: 'system', actorId: 'test', requestId: title },
      );
      const [read] = await db.select().from(schema.items).where(eq(schema.items.id, created.id));
      expect(read).toMatchObject({ title, tags: ['stand-in', 'a b'], dueAt: due, priority: 'high', version: 1 });
      expect(read?.createdAt).toBeInstanceOf(Date);
      expect(jobsQueued).toBe(0);
      const audit = await db.select().from(schema.auditLogs).where(eq(schema.auditLogs.requestId, title));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'item.created', entityId: created.id, after: { title } });
    });

    it('Should commit a db.batch as one transaction', async () => {
      const email = `${randomUUID()}@batch.test`;
      const [inserted, counted] = await db.batch([
        db.insert(schema.users).values({ email, name: 'Batch' }).returning(),
        db.select({ n: sql<number>`count(*)::int` }).from(schema.users).where(eq(schema.users.email, email)),
      ]);
      expect(inserted[0]?.email).toBe(email);
      // The second statement sees the first one's row: same transaction.
      expect(counted[0]?.n).toBe(1);
    });

    it('Should roll back every statement of a failing batch', async () => {
      const email = `${randomUUID()}@rollback.test`;
      const title = unique('rolled back');
      const attempt = db.batch([
        db.insert(schema.users).values({ email, name: 'First' }),
        db.insert(schema.items).values({ title }),
        db.insert(schema.users).values({ email: email.toUpperCase(), name: 'Duplicate' }),
      ]);
      expect(dbErrorCode(await attempt.catch((error: unknown) => error))).toBe('23505');
      expect(await db.select().from(schema.users).where(eq(schema.users.email, email))).toEqual([]);
      expect(await db.select().from(schema.items).where(eq(schema.items.title, title))).toEqual([]);
    });

    it('Should keep the SQLSTATE code and constraint of a Postgres error', async () => {
      const email = `${randomUUID()}@unique.test`;
      await db.insert(schema.users).values({ email, name: 'Once' });
      const duplicate = await db
        .insert(schema.users)
        .values({ email, name: 'Twice' })
        .catch((error: unknown) => error);
      expect(dbErrorCode(duplicate)).toBe('23505');
      expect(dbErrorConstraint(duplicate)).toBe('users_email_lower_key');
      expect(classifyDbError(duplicate)).toBe('unique_violation');

      const orphan = await db
        .insert(schema.items)
        .values({ title: unique('orphan'), ownerId: randomUUID() })
        .catch((error: unknown) => error);
      expect(classifyDbError(orphan)).toBe('foreign_key_violation');
      expect(dbErrorConstraint(orphan)).toBe('items_owner_id_users_id_fk');

      const syntax = await client.query('select from where').catch((error: unknown) => error);
      expect(syntax).toMatchObject({ name: 'NeonDbError', code: '42601', position: expect.any(String) });
    });

    it('Should start a batch with the isolation level and access mode the client asks for', async () => {
      const [isolation, readOnly] = await client.transaction(
        [client`show transaction_isolation`, client`show transaction_read_only`],
        { isolationLevel: 'Serializable', readOnly: true },
      );
      expect(isolation).toEqual([{ transaction_isolation: 'serializable' }]);
      expect(readOnly).toEqual([{ transaction_read_only: 'on' }]);
    });

    it('Should serve concurrent statements and batches without mixing them up', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 3 === 0
            ? client.transaction([client`select ${i}::int as n`, client`select ${i * 2}::int as n`])
            : client`select ${i}::int as n`,
        ),
      );
      results.forEach((result, i) => {
        expect(result).toEqual(i % 3 === 0 ? [[{ n: i }], [{ n: i * 2 }]] : [{ n: i }]);
      });
    });
  });
}

describe('Neon stand-in with an unreachable Postgres', () => {
  let standIn: NeonStandIn;
  beforeAll(async () => {
    // Port 1 on loopback refuses connections: no server needed to test this.
    standIn = await startNeonStandIn({ upstreamUrl: 'postgres://postgres@127.0.0.1:1/postgres' });
  });
  afterAll(() => standIn?.close());

  it('Should answer 503 so the client reports a server error the app classifies as unavailable', async () => {
    const { db } = openNeonHttp({ url: 'postgres://postgres@127.0.0.1:1/postgres', endpoint: standIn.url });
    const error = await db.execute(sql`select 1`).catch((e: unknown) => e);
    expect(String((error as Error).cause ?? error)).toMatch(/HTTP status 503/);
    expect(classifyDbError(error)).toBe('unavailable');
  });

  it('Should answer 400 with a message to a request it cannot read', async () => {
    const response = await fetch(standIn.url, { method: 'POST', body: '{"query": 1}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'missing Neon-Connection-String header' });
  });
});
