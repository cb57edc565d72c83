import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../dev/scratch-database.ts';
import { backend } from '../../test/support/harness.ts';
import { executeRows } from '../execute.ts';
import { statementName } from '../prepared.ts';
import { enqueueJob, getJob } from '../queries/jobs.ts';
import { migrate } from './migrate.ts';
import { openPg } from './pg.ts';

const SYSTEM = { actorType: 'system', actorId: 'test', requestId: null } as const;

describe.skipIf(backend.name !== 'postgres')('pg: hot statements as named prepared statements', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL as string, 'edgeplane_prepared');
    const handle = openPg({ url: scratch.url, poolSize: 1 });
    await migrate(handle);
    await handle.close();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  /** The named statements the one connection of a one-connection pool holds, after two enqueues and reads. */
  async function preparedOnConnection(preparedStatements?: boolean) {
    const handle = openPg({ url: scratch.url, poolSize: 1, preparedStatements });
    try {
      for (let i = 0; i < 2; i++) {
        const { job } = await enqueueJob(handle.db, { type: 'cleanup', payload: {}, maxAttempts: 1 }, SYSTEM);
        expect((await getJob(handle.db, job.id))?.id).toBe(job.id);
      }
      const rows = await executeRows<{ name: string }>(
        handle.db,
        sql`select name from pg_prepared_statements where name like 'edgeplane\\_%'`,
      );
      return rows.map((row) => row.name);
    } finally {
      await handle.close();
    }
  }

  it('Should parse each statement once per connection, under a name from its text', async () => {
    const names = await preparedOnConnection();
    // The enqueue (insert with its audit row) and the read by id.
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^edgeplane_[0-9a-z]+$/);
  });

  it('Should send every statement unnamed with DATABASE_PREPARED_STATEMENTS=false', async () => {
    expect(await preparedOnConnection(false)).toEqual([]);
  });

  it('Should name the same text alike and different texts apart', () => {
    expect(statementName('select 1')).toBe(statementName('select 1'));
    expect(statementName('select 1')).not.toBe(statementName('select 2'));
  });
});
