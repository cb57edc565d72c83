import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../api/auth/password.ts';
import { migrate } from '../../db/node/migrate.ts';
import { openPg } from '../../db/node/pg.ts';
import { createPglite, openPglite } from '../../db/node/pglite.ts';
import { upsertAdmin } from '../../db/queries/users.ts';
import { freePort, waitForHttp } from '../../dev/child-process.ts';
import { type NeonStandIn, startNeonStandIn } from '../../dev/neon-stand-in.ts';
import { type QStashStandIn, startQStashStandIn } from '../../dev/qstash-stand-in.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { startWranglerDev, type WranglerDev } from '../../dev/wrangler-dev.ts';
import { ADMIN } from './admin.ts';
import { conformanceSuite } from './suite.ts';

/**
 * Runs the Worker entry under `wrangler dev` (workerd, no nodejs_compat) with the real
 * Neon HTTP client talking to the local stand-in, in front of a per-run Postgres
 * database when TEST_DATABASE_URL is set and an in-memory PGlite otherwise, then runs
 * the black-box suite against it.
 */
let worker: WranglerDev | undefined;
let standIn: NeonStandIn | undefined;
let qstash: QStashStandIn | undefined;
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
    // The Worker has no start-up hook: its admin is created beforehand, as `npm run admin:create` does.
    await upsertAdmin(handle.db, ADMIN.email, await hashPassword(ADMIN.password));
    await handle.close();
    standIn = await startNeonStandIn({ upstreamUrl: serverUrl });
    databaseUrl = scratch.url;
  } else {
    const pglite = await createPglite();
    cleanups.push(() => pglite.close());
    const handle = await openPglite({ client: pglite });
    await migrate(handle);
    await upsertAdmin(handle.db, ADMIN.email, await hashPassword(ADMIN.password));
    standIn = await startNeonStandIn({ pglite });
    databaseUrl = 'postgres://edgeplane@localhost:5432/edgeplane';
  }
  const persistDir = mkdtempSync(join(tmpdir(), 'edgeplane-wrangler-'));
  cleanups.push(async () => rmSync(persistDir, { recursive: true, force: true }));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  // Jobs reach the Worker the way they do in production: published to (here, local)
  // QStash, delivered back signed, verified by the Worker.
  qstash = await startQStashStandIn({ retryDelayMs: () => 200 });
  const qstashVars = {
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    QSTASH_URL: qstash.url,
    QSTASH_TOKEN: qstash.token,
    QSTASH_CURRENT_SIGNING_KEY: qstash.currentSigningKey,
    QSTASH_NEXT_SIGNING_KEY: qstash.nextSigningKey,
  };
  worker = startWranglerDev({
    port,
    inspectorPort,
    persistTo: persistDir,
    logLevel: 'warn',
    vars: {
      DATABASE_URL: databaseUrl,
      NEON_HTTP_ENDPOINT: standIn.url,
      ACCESS_LOG: 'false',
      // wrangler.toml sets APP_ENV=production, which requires signing keys, as a deployment would.
      JWT_SIGNING_KEYS: `conformance:${crypto.randomUUID()}${crypto.randomUUID()}`,
      ...qstashVars,
    },
    stdio: 'pipe',
  });
  baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp({ name: 'wrangler dev', ...worker }, `${baseUrl}/health/ready`, 90_000);
});

afterAll(async () => {
  await worker?.stop();
  await standIn?.close();
  await qstash?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

conformanceSuite(
  `worker under wrangler dev (${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'} via Neon stand-in)`,
  () => baseUrl,
  () => ADMIN,
);

describe('worker: QStash deliveries', () => {
  it('Should have received every job through a signed QStash delivery', () => {
    const deliveries = qstash?.messages() ?? [];
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((m) => m.destination === `${baseUrl}/api/v1/jobs/deliver`)).toBe(true);
    expect(deliveries.every((m) => m.state === 'DELIVERED')).toBe(true);
  });

  it('Should refuse a delivery with a forged signature and run nothing', async () => {
    const res = await fetch(`${baseUrl}/api/v1/jobs/deliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'upstash-signature': 'eyJhbGciOiJIUzI1NiJ9.e30.forged' },
      body: JSON.stringify({ jobId: crypto.randomUUID() }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
