import type { DbHandle } from '../../db/types.ts';

/**
 * Makes every insert into `table` whose `column` equals `value` fail, as a broken
 * write would. Scoped to one value (a request id, a title) so tests running meanwhile
 * on the same database are unaffected. Returns the function that removes the trigger.
 */
export async function failInserts(
  handle: DbHandle,
  table: 'audit_logs' | 'jobs' | 'items' | 'users' | 'webhooks' | 'api_keys',
  value: string,
  column: 'request_id' | 'title' | 'name' | 'description' = 'request_id',
): Promise<() => Promise<void>> {
  const name = `fail_${table}_${crypto.randomUUID().replaceAll('-', '')}`;
  const literal = value.replaceAll("'", "''");
  await handle.runAtomic([
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
       IF NEW.${column} = '${literal}' THEN RAISE EXCEPTION '${table} rejected the row'; END IF;
       RETURN NEW; END $$`,
    `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  ]);
  return () => handle.runAtomic([`DROP TRIGGER ${name} ON ${table}`, `DROP FUNCTION ${name}()`]);
}
