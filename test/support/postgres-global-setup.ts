import type { TestProject } from 'vitest/node';
import { migrate } from '../../db/node/migrate.ts';
import { openPg } from '../../db/node/pg.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database of this run, or null when TEST_DATABASE_URL is unset. */
    postgresUrl: string | null;
  }
}

/** Creates one migrated database for this run on TEST_DATABASE_URL's server, dropped at the end. */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    console.warn('[postgres] TEST_DATABASE_URL is not set: the postgres project is skipped (.ci/run sets it).');
    project.provide('postgresUrl', null);
    return;
  }
  const scratch = await createScratchDatabase(serverUrl, 'edgeplane_test');
  const handle = openPg({ url: scratch.url, poolSize: 1 });
  try {
    await migrate(handle);
  } finally {
    await handle.close();
  }
  project.provide('postgresUrl', scratch.url);
  return () => scratch.drop();
}
