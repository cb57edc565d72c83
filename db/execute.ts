import type { SQL } from 'drizzle-orm';
import type { Database } from './types.ts';

/** Runs raw SQL and returns its rows; every driver's `execute` result carries `rows`. */
export async function executeRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
