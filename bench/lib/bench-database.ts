import { migrate } from '../../db/node/migrate.ts';
import { openPg } from '../../db/node/pg.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import type { SectionContext } from './section.ts';
import { num } from './table.ts';

export interface PreparedDatabase {
  /** Ids of live items, in random order, for requests that read one item. */
  ids: string[];
  postgresVersion: string;
}

/**
 * Items with varied status, priority, tags, due dates and creation times (one
 * every ~5 minutes back from now), 2% of them soft-deleted, so the list query
 * walks the partial index the way it does in production. One statement: fast.
 */
export function seedItemsSql(count: number): string {
  if (!Number.isInteger(count) || count < 1) throw new Error(`item count must be a positive integer: ${count}`);
  return `
    INSERT INTO items (title, description, status, priority, tags, due_at, created_at, updated_at, deleted_at)
    SELECT 'Bench item ' || g,
           CASE WHEN g % 3 = 0 THEN NULL ELSE 'Generated item ' || g || ' with a short description.' END,
           (enum_range(null::item_status))[1 + g % 4],
           (enum_range(null::item_priority))[1 + (g / 7) % 4],
           CASE g % 5
             WHEN 0 THEN '{}'::text[]
             WHEN 1 THEN ARRAY['ops']
             WHEN 2 THEN ARRAY['ops', 'security']
             WHEN 3 THEN ARRAY['docs', 'database', 'infra']
             ELSE ARRAY['reporting']
           END,
           CASE WHEN g % 4 = 0 THEN NULL ELSE t.created + ((g % 60) - 20) * interval '1 day' END,
           t.created,
           t.created + (g % 5) * interval '1 minute',
           CASE WHEN g % 50 = 0 THEN t.created + interval '1 hour' END
    FROM generate_series(1, ${count}) AS g,
         LATERAL (SELECT now() - g * interval '5 minutes' - (g * 7919 % 60000) * interval '1 millisecond' AS created) AS t`;
}

/** Migrates a fresh database with the app's migrator, seeds it and samples item ids. */
export async function prepareDatabase(url: string, items: number, idSample: number): Promise<PreparedDatabase> {
  const handle = openPg({ url, poolSize: 1 });
  try {
    await migrate(handle);
    await handle.runAtomic([seedItemsSql(items)]);
    // Fresh statistics, as autovacuum would have them on a live database.
    await handle.runAtomic(['ANALYZE items']);
    const rows = await handle.queryRows<{ id: string }>(
      `SELECT id FROM items WHERE deleted_at IS NULL ORDER BY random() LIMIT ${Math.trunc(idSample)}`,
    );
    const [version] = await handle.queryRows<{ server_version: string }>('SHOW server_version');
    return { ids: rows.map((r) => r.id), postgresVersion: version?.server_version ?? 'unknown' };
  } finally {
    await handle.close();
  }
}

/**
 * A scratch database on the bench's Postgres server for one section, dropped when the
 * section ends, migrated and seeded with `items` items.
 */
export async function benchDatabase(
  context: SectionContext,
  prefix: string,
  items: number,
  idSample: number,
): Promise<PreparedDatabase & { url: string }> {
  const database = await createScratchDatabase(context.config.serverUrl, prefix);
  context.defer(`drop database ${database.name}`, () => database.drop());
  context.log(`database ${database.name}: migrating and seeding ${num(items)} items`);
  return { url: database.url, ...(await prepareDatabase(database.url, items, idSample)) };
}
