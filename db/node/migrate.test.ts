import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { backend } from '../../test/support/harness.ts';
import type { DbHandle } from '../types.ts';
import { MIGRATIONS_FOLDER, migrate } from './migrate.ts';
import { openPg } from './pg.ts';
import { openPglite } from './pglite.ts';

// Connections close before their databases are dropped.
const closers: (() => Promise<unknown>)[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
  for (const cleanup of cleanups) await cleanup();
});

/** A fresh, empty database of this project's backend. */
async function freshDatabase(): Promise<{ open: () => Promise<DbHandle> }> {
  if (backend.name === 'postgres') {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string, 'edgeplane_migrate');
    cleanups.push(scratch.drop);
    return {
      open: async () => {
        const handle = openPg({ url: scratch.url, poolSize: 2 });
        closers.push(() => handle.close());
        return handle;
      },
    };
  }
  const handle = await openPglite();
  closers.push(() => handle.close());
  return { open: async () => handle };
}

/** A copy of the real migrations plus one more whose last statement fails. */
function migrationsWithBrokenTail(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgeplane-migrations-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
  const last = journal.entries.at(-1);
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken' });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(
    join(dir, '9999_broken.sql'),
    'CREATE TABLE half_done (id int);\n--> statement-breakpoint\nSELECT 1 / 0;',
  );
  return dir;
}

const MIGRATION_COUNT = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')).entries
  .length as number;

const tableExists = async (handle: DbHandle, table: string) =>
  (await handle.queryRows<{ t: string | null }>(`SELECT to_regclass('public.${table}')::text AS t`))[0]?.t !== null;

describe.skipIf(backend.skip)(`migrate [${backend.label}]`, () => {
  it('Should apply every migration once, then find nothing to do', async () => {
    const handle = await (await freshDatabase()).open();
    expect(await migrate(handle)).toEqual({ applied: MIGRATION_COUNT });
    expect(await migrate(handle)).toEqual({ applied: 0 });
    for (const table of ['users', 'items', 'audit_logs', 'jobs', 'settings']) {
      expect(await tableExists(handle, table), table).toBe(true);
    }
    const [ext] = await handle.queryRows<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'",
    );
    expect(ext?.n).toBe(1);
  });

  it('Should keep nothing of a batch of migrations when one statement fails', async () => {
    const handle = await (await freshDatabase()).open();
    await expect(migrate(handle, migrationsWithBrokenTail())).rejects.toThrow();
    expect(await tableExists(handle, 'half_done')).toBe(false);
    expect(await tableExists(handle, 'items')).toBe(false);
    expect(await migrate(handle)).toEqual({ applied: MIGRATION_COUNT });
  });

  it('Should let concurrent migrators finish with the schema applied once', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([db.open(), db.open()]);
    const results = await Promise.all([migrate(a), migrate(b)]);
    expect(results.map((r) => r.applied).sort()).toEqual([0, MIGRATION_COUNT]);
    const [row] = await a.queryRows<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(row?.n).toBe(MIGRATION_COUNT);
  });
});
