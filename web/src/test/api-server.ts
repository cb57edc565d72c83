import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, spawnTs, waitForHttp } from '../../../dev/child-process.ts';
import { holdsKnownSecret } from '../../../test/support/log-guard.ts';

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
  // Its log lines are checked for secrets like every test's (see test/support/log-guard.ts).
  const leaks: string[] = [];
  const server = spawnTs('api for web tests', 'api/entries/node.ts', {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ACCESS_LOG: 'false', RATE_LIMIT_ENABLED: 'false' },
    onLine: (line) => {
      if (line.trimStart().startsWith('{') && holdsKnownSecret(line)) leaks.push(line.slice(0, 400));
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(server, `${url}/health/ready`, 60_000);
  project.provide('apiUrl', url);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (leaks.length) throw new Error(`log lines of the API server with a secret in them:\n${leaks.join('\n')}`);
  };
}
