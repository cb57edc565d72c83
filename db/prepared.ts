import type { Database } from './types.ts';

/** What drizzle's `.prepare()` returns, on every driver. */
interface Prepared<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

const MAX_SHAPES = 64;

/**
 * A hot statement built once per database and shape, then run with new values:
 * drizzle's `.prepare()` over `sql.placeholder`s, so a request pays no statement
 * building (in the profile, drizzle assembling the SQL was a fifth of a request's
 * CPU). Statements are unnamed on pg, so they work behind any connection pooler.
 * Keyed by the database object: a traced request's database (spans per query) gets
 * statements of its own, observed like any other.
 */
export function preparedStatement<R, K extends string = string>(
  build: (db: Database, shape: K) => Prepared<R>,
): (db: Database, shape?: K) => Prepared<R> {
  const byDatabase = new WeakMap<Database, Map<string, Prepared<R>>>();
  return (db, shape = '' as K) => {
    let shapes = byDatabase.get(db);
    if (!shapes) {
      shapes = new Map();
      byDatabase.set(db, shapes);
    }
    let statement = shapes.get(shape);
    if (!statement) {
      // Shapes are a handful per query; the bound only guards a caller that is not.
      if (shapes.size >= MAX_SHAPES) shapes.clear();
      statement = build(db, shape);
      shapes.set(shape, statement);
    }
    return statement;
  };
}
