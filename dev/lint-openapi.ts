/**
 * `npm run check` lints the OpenAPI document the app serves with Redocly's recommended
 * rules: the document is built by the app factory exactly as `/openapi.json` serves it
 * (no database is touched), written to a scratch file and handed to `redocly lint`.
 * Errors fail the check; warnings are printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createApp } from '../api/app.ts';
import { parseConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { dispatcherQueue } from '../core/queue/job-queue.ts';
import { createMemoryStore } from '../db/kv/memory.ts';
import type { Database } from '../db/types.ts';
import { REPO_ROOT } from './child-process.ts';

/** The served document, as JSON text. */
export async function servedDocument(): Promise<string> {
  const app = createApp({
    config: parseConfig({ APP_ENV: 'test' }),
    // The document route never queries; a database is not needed to describe the API.
    db: {} as Database,
    logger: createLogger({ level: 'silent' }),
    clock: () => new Date(),
    queue: dispatcherQueue(),
    kv: createMemoryStore({ keyPrefix: 'lint:' }),
  });
  const res = await app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return res.text();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'edgeplane-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, await servedDocument());
    const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');
    const run = spawnSync(process.execPath, [cli, 'lint', file, '--config', join(REPO_ROOT, 'redocly.yaml')], {
      cwd: REPO_ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      encoding: 'utf8',
    });
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    process.exitCode = run.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
