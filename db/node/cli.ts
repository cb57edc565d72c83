import { parseConfig } from '../../api/config.ts';
import { isEmpty, seedDemoData } from '../seed.ts';
import { migrate } from './migrate.ts';
import { openDatabase } from './open-database.ts';

/**
 * `npm run db:migrate` and `npm run db:seed`, against the configured database
 * (DATABASE_URL, or the embedded one under DATA_DIR). `seed --force` seeds a
 * database that already has data.
 */
async function main(command: string | undefined, flags: string[]): Promise<void> {
  const config = parseConfig(process.env);
  const handle = await openDatabase(config.database);
  try {
    if (command === 'migrate') {
      const { applied } = await migrate(handle);
      console.log(`migrate (${handle.driver}): ${applied ? `applied ${applied} migration(s)` : 'up to date'}`);
    } else if (command === 'seed') {
      await migrate(handle);
      if (!flags.includes('--force') && !(await isEmpty(handle.db))) {
        console.log('seed: the database already has data; pass --force to add the demo data anyway');
        return;
      }
      const seeded = await seedDemoData(handle.db);
      console.log(`seed (${handle.driver}): ${seeded.users} users, ${seeded.items} items`);
    } else {
      console.error('usage: tsx db/node/cli.ts migrate | seed [--force]');
      process.exitCode = 2;
    }
  } finally {
    await handle.close();
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
