import { eq, getTableColumns, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { backend, testDatabase, unique } from '../test/support/harness.ts';
import { preparedStatement } from './prepared.ts';
import { createItem } from './queries/items.ts';
import { items, users } from './schema.ts';
import type { Database } from './types.ts';

const SYSTEM = { actorType: 'system', actorId: 'prepared-test', requestId: null } as const;

/** Whether drizzle was handed a row mapper for the statement (its generic mapping otherwise). */
const hasRowMapper = (statement: unknown) =>
  typeof (statement as { customResultMapper?: unknown }).customResultMapper === 'function';

describe.skipIf(backend.skip)(`prepared statements' rows [${backend.label}]`, () => {
  it('Should map a flat selection exactly as drizzle does: every column type, nulls, mapWith', async () => {
    const { db } = await testDatabase();
    const title = unique('prepared rows');
    await createItem(
      db,
      { title, tags: ['a', 'b,c', 'd"e'], dueAt: new Date('2031-02-03T04:05:06.789Z'), description: null },
      SYSTEM,
    );
    await createItem(db, { title, tags: [], priority: 'high', description: 'second' }, SYSTEM);
    const build = (d: Database) =>
      d
        .select({
          ...getTableColumns(items),
          titleLength: sql<number>`length(${items.title})`.mapWith(Number),
          upper: sql<string>`upper(${items.title})`.as('upper'),
          nothing: sql<string | null>`null`,
        })
        .from(items)
        .where(eq(items.title, sql.placeholder('title')))
        .orderBy(items.createdAt);
    const fast = preparedStatement((d) => build(d))(db);
    const drizzleOwn = build(db).prepare('prepared_rows_reference');
    expect(hasRowMapper(fast)).toBe(true);
    expect(hasRowMapper(drizzleOwn)).toBe(false);

    const [mapped, reference] = await Promise.all([fast.execute({ title }), drizzleOwn.execute({ title })]);
    expect(mapped).toHaveLength(2);
    expect(mapped).toEqual(reference);
    const [first, second] = mapped;
    expect(first?.dueAt).toBeInstanceOf(Date);
    expect(first?.dueAt?.toISOString()).toBe('2031-02-03T04:05:06.789Z');
    expect(first?.createdAt).toBeInstanceOf(Date);
    expect(first?.tags).toEqual(['a', 'b,c', 'd"e']);
    expect(first?.description).toBeNull();
    expect(first?.titleLength).toBe(title.length);
    expect(first?.upper).toBe(title.toUpperCase());
    expect(first?.nothing).toBeNull();
    expect(second?.tags).toEqual([]);
    expect(second?.dueAt).toBeNull();
  });

  it("Should leave a joined selection, nested under each table's name, to drizzle", async () => {
    const { db } = await testDatabase();
    const joined = preparedStatement((d) =>
      d
        .select()
        .from(items)
        .leftJoin(users, eq(items.ownerId, users.id))
        .where(eq(items.id, sql.placeholder('id'))),
    )(db);
    expect(hasRowMapper(joined)).toBe(false);
    const { item } = await createItem(db, { title: unique('joined') }, SYSTEM);
    const [row] = await joined.execute({ id: item.id });
    // No owner: drizzle's own mapping turns the all-null joined table into null.
    expect(row?.users).toBeNull();
    expect(row?.items.id).toBe(item.id);
  });
});
