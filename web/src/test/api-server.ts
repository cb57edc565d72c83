import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, spawnTs, waitForHttp } from '../../../dev/child-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
  }
}

/**
 * Component tests talk to a real API: the Node entry on its embedded default (PGlite,
 * migrated and seeded with the demo workspace) in a data directory of this run's own.
 */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-web-'));
  const server = spawnTs('api for web tests', 'api/entries/node.ts', {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ACCESS_LOG: 'false', RATE_LIMIT_ENABLED: 'false' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(server, `${url}/health/ready`, 60_000);
  project.provide('apiUrl', url);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
