import { ADMIN } from './admin.ts';
import { databaseLabel, gracefulStopTests, useServerEntry } from './server-entry.ts';
import { conformanceSuite } from './suite.ts';

/**
 * Runs the Deno entry (`deno serve api/entries/deno.ts`, the runtime npm installed) on real Postgres over
 * TCP when TEST_DATABASE_URL is set, else on Neon over HTTP through the local stand-in
 * (PGlite behind it), as the Worker runs, and runs the black-box suite against it.
 */
const entry = useServerEntry('deno', 'neon-stand-in');

conformanceSuite(`deno (${databaseLabel('neon-stand-in')})`, entry.baseUrl, () => ADMIN);

gracefulStopTests('deno', entry);
