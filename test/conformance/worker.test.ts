import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/child-process.ts';
import { type EdgeStack, startEdgeStack } from '../../dev/edge-stack.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { ADMIN } from './admin.ts';
import { conformanceSuite } from './suite.ts';

/**
 * Runs the Worker entry under `wrangler dev` (workerd, no nodejs_compat) with the real
 * Neon HTTP client talking to the local stand-in, in front of a per-run Postgres
 * database when TEST_DATABASE_URL is set and an in-memory PGlite otherwise, then runs
 * the black-box suite against it. Jobs reach the Worker the way they do in production:
 * published to (here, local) QStash, delivered back signed, verified by the Worker.
 */
let stack: EdgeStack | undefined;
let baseUrl = '';
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  let databaseUrl: string | undefined;
  if (process.env.TEST_DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.TEST_DATABASE_URL, 'edgeplane_conf_worker');
    cleanups.push(scratch.drop);
    databaseUrl = scratch.url;
  }
  const persistDir = mkdtempSync(join(tmpdir(), 'edgeplane-wrangler-'));
  cleanups.push(async () => rmSync(persistDir, { recursive: true, force: true }));
  stack = await startEdgeStack({
    databaseUrl,
    admin: ADMIN,
    qstash: { retryDelayMs: () => 200 },
    vars: {
      ACCESS_LOG: 'false',
      // wrangler.toml sets APP_ENV=production, which requires signing keys, as a deployment would.
      JWT_SIGNING_KEYS: `conformance:${crypto.randomUUID()}${crypto.randomUUID()}`,
    },
    wrangler: { inspectorPort: await freePort(), persistTo: persistDir, logLevel: 'warn', stdio: 'pipe' },
  });
  baseUrl = stack.baseUrl;
});

afterAll(async () => {
  await stack?.stop();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

conformanceSuite(
  `worker under wrangler dev (${process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'} via Neon stand-in)`,
  () => baseUrl,
  () => ADMIN,
);

describe('worker: QStash deliveries', () => {
  it('Should have received every due job through a signed QStash delivery', () => {
    const messages = stack?.qstash.messages() ?? [];
    expect(messages.every((m) => m.destination === `${baseUrl}/api/v1/jobs/deliver`)).toBe(true);
    // The suite also schedules a job an hour ahead (and cancels it): QStash holds that one back.
    const due = messages.filter((m) => m.notBefore <= Date.now());
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((m) => m.state === 'DELIVERED')).toBe(true);
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
