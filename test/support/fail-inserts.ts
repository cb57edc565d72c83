import type { DbHandle } from '../../db/types.ts';

/**
 * Makes every insert into `table` carrying `requestId` fail, as a broken write would.
 * Scoped to one request id so concurrent tests on a shared database are unaffected.
 * Returns the function that removes the trigger again.
 */
export async function failInsertsFor(
  handle: DbHandle,
  table: 'audit_logs' | 'jobs',
  requestId: string,
): Promise<() => Promise<void>> {
  const name = `fail_${table}_${requestId.replace(/\W/g, '_')}`;
  await handle.runAtomic([
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
       IF NEW.request_id = '${requestId}' THEN RAISE EXCEPTION '${table} rejected the row'; END IF;
       RETURN NEW; END $$`,
    `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  ]);
  return () => handle.runAtomic([`DROP TRIGGER ${name} ON ${table}`, `DROP FUNCTION ${name}()`]);
}
