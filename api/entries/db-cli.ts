import { parseConfig } from '../../core/config.ts';
import { hashPassword } from '../../core/password.ts';
import { describeError } from '../../db/errors.ts';
import { migrate } from '../../db/node/migrate.ts';
import { openDatabase } from '../../db/node/open-database.ts';
import { upsertAdmin } from '../../db/queries/users.ts';
import { DEMO_PASSWORD, holdsOtherData, seedDemoData } from '../../db/seed.ts';
import { untilDatabaseAvailable } from '../../db/wait-for-database.ts';

/**
 * `npm run db:migrate`, `npm run db:seed` and `npm run admin:create`, against the configured database
 * (DATABASE_URL, or the embedded one under DATA_DIR). Seeding is idempotent; it
 * refuses a database holding other users or items unless given `--force`
 * (`npm run db:seed -- --force`; npm keeps a bare `--force` for itself, and says so in
 * `npm_config_force`, which counts too).
 */
async function main(command: string | undefined, flags: string[]): Promise<void> {
  const config = parseConfig(process.env);
  const handle = await openDatabase(config.database, {
    info: (message) => console.error(message),
    warn: (message, fields) => console.error(`${message}: ${describeError(fields?.error).message}`),
  });
  // A migration Job may start before its database accepts connections: wait as the server does.
  const whenAvailable = <T>(work: () => Promise<T>) =>
    untilDatabaseAvailable(work, {
      timeoutMs: config.database.waitMs,
      onRetry: ({ delayMs, status }) => console.error(`${status}; again in ${delayMs} ms`),
    });
  try {
    if (command === 'migrate') {
      const { applied } = await whenAvailable(() => migrate(handle));
      console.log(`migrate (${handle.driver}): ${applied ? `applied ${applied} migration(s)` : 'up to date'}`);
    } else if (command === 'seed') {
      await whenAvailable(() => migrate(handle));
      const force = flags.includes('--force') || process.env.npm_config_force === 'true';
      if (!force && (await holdsOtherData(handle.db))) {
        console.log(
          'seed: the database holds users or items besides the demo data; to add the demo data anyway, run:\n' +
            '  npm run db:seed -- --force',
        );
        process.exitCode = 1;
        return;
      }
      const seeded = await seedDemoData(handle.db, await hashPassword(DEMO_PASSWORD));
      const added = seeded.users + seeded.items + seeded.jobs;
      console.log(
        added
          ? `seed (${handle.driver}): added ${seeded.users} users, ${seeded.items} items, ${seeded.jobs} jobs`
          : `seed (${handle.driver}): the demo data is already there; nothing added`,
      );
    } else if (command === 'admin') {
      if (!config.auth.admin) throw new Error('set ADMIN_EMAIL and ADMIN_PASSWORD');
      await whenAvailable(() => migrate(handle));
      const { email, password } = config.auth.admin;
      const { created } = await upsertAdmin(handle.db, email, await hashPassword(password));
      console.log(`admin ${email} ${created ? 'created' : 'updated (role admin, enabled, new password)'}`);
    } else {
      console.error('usage: tsx api/entries/db-cli.ts migrate | seed [--force] | admin');
      process.exitCode = 2;
    }
  } finally {
    await handle.close();
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  // By class and code: a failed statement's message may quote its values.
  const { name, code, message } = describeError(error);
  console.error(`${name}${code ? ` ${code}` : ''}: ${message}`);
  process.exit(1);
});
