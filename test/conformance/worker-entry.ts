import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../dev/child-process.ts';
import { type EdgeStack, startEdgeStack } from '../../dev/edge-stack.ts';
import { createScratchDatabase } from '../../dev/scratch-database.ts';
import { ADMIN } from './admin.ts';

/**
 * The Worker entry under `wrangler dev` (workerd, no nodejs_compat) for one test file,
 * with the real Neon HTTP client talking to the local stand-in, in front of a per-run
 * Postgres database when TEST_DATABASE_URL is set and an in-memory PGlite otherwise.
 * Jobs reach it as in production: published to (here, local) QStash, delivered back signed.
 */
export function useWorkerEntry(options: { vars?: Record<string, string> } = {}) {
  let stack: EdgeStack | undefined;
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
        ...options.vars,
      },
      wrangler: { inspectorPort: await freePort(), persistTo: persistDir, logLevel: 'warn', stdio: 'pipe' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  return {
    baseUrl: () => stack?.baseUrl ?? '',
    stack: () => stack,
  };
}
