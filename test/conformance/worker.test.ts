import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { migrate } from '../../db/node/migrate.ts';
import { openPg } from '../../db/node/pg.ts';
import { createPglite, openPglite } from '../../db/node/pglite.ts';
import { freePort, waitForHttp } from '../../dev/child-process.ts';
import { type NeonStandIn, startNeonStandIn } from '../../dev/neon-stand-in.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { startWranglerDev, type WranglerDev } from '../../dev/wrangler-dev.ts';
import { conformanceSuite } from './suite.ts';

/**
 * Runs the Worker entry under `wrangler dev` (workerd, no nodejs_compat) with the real
 * Neon HTTP client talking to the local stand-in, in front of a per-run Postgres
 * database when TEST_DATABASE_URL is set and an in-memory PGlite otherwise, then runs
 * the black-box suite against it.
 */
let worker: WranglerDev | undefined;
let standIn: NeonStandIn | undefined;
let baseUrl = '';
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  let databaseUrl: string;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl, 'edgeplane_conf_worker');
    cleanups.push(scratch.drop);
    const handle = openPg({ url: scratch.url, poolSize: 1 });
    await migrate(handle);
    await handle.close();
    standIn = await startNeonStandIn({ upstreamUrl: serverUrl });
    databaseUrl = scratch.url;
  } else {
    const pglite = await createPglite();
    cleanups.push(() => pglite.close());
    await migrate(await openPglite({ client: pglite }));
    standIn = await startNeonStandIn({ pglite });
    databaseUrl = 'postgres://edgeplane@localhost:5432/edgeplane';
  }
  const persistDir = mkdtempSync(join(tmpdir(), 'edgeplane-wrangler-'));
  cleanups.push(async () => rmSync(persistDir, { recursive: true, force: true }));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  worker = startWranglerDev({
    port,
    inspectorPort,
    persistTo: persistDir,
    logLevel: 'warn',
    vars: { DATABASE_URL: databaseUrl, NEON_HTTP_ENDPOINT: standIn.url, ACCESS_LOG: 'false' },
    stdio: 'pipe',
  });
  baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp({ name: 'wrangler dev', ...worker }, `${baseUrl}/health/ready`, 90_000);
});

afterAll(async () => {
  await worker?.stop();
  await standIn?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

conformanceSuite(
  `worker under wrangler dev (${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'} via Neon stand-in)`,
  () => baseUrl,
);
