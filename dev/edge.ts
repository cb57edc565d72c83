/**
 * `npm run dev:edge`: the Worker under `wrangler dev` (workerd), with its database
 * reached the way production reaches Neon, over SQL-over-HTTP, through the local
 * Neon stand-in, with jobs delivered by the local QStash stand-in. A development tool only.
 *
 *   DATABASE_URL  a postgres:// URL to sit in front of; unset means PGlite kept under
 *                 ${DATA_DIR:-./.data}/edge
 *   PORT          the Worker's port on 127.0.0.1 (default 8787)
 */
import { join } from 'node:path';
import { localSigningSecret } from '../api/server/local-signing-key.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../db/seed.ts';
import { waitForHttp } from './child-process.ts';
import { startEdgeStack } from './edge-stack.ts';
import { ensureWebBuild } from './ensure-web-build.ts';

const log = (message: string) => console.log(`[dev:edge] ${message}`);

async function main(): Promise<void> {
  const port = Number(process.env.PORT || '8787');
  const upstream = process.env.DATABASE_URL;
  // Workers static assets serve the dashboard build.
  await ensureWebBuild();
  const dataDir = join(process.env.DATA_DIR || './.data', 'edge');
  // A signing key kept beside the local database, as `npm start` does: a restart keeps sessions.
  const signingKeys = process.env.JWT_SIGNING_KEYS || `local:${localSigningSecret(dataDir).secret}`;
  const stack = await startEdgeStack({
    databaseUrl: upstream && /^postgres(ql)?:\/\//.test(upstream) ? upstream : undefined,
    pgliteDataDir: dataDir,
    seedDemoData: true,
    port,
    vars: { APP_ENV: 'development', JWT_SIGNING_KEYS: signingKeys },
    wrangler: { stdio: 'inherit' },
    log,
    readyTimeoutMs: 0,
  });
  log(`starting wrangler dev on ${stack.baseUrl} (dashboard at /, API under /api/v1, health at /health/ready)`);
  // The first start builds and boots workerd: up to two minutes.
  void waitForHttp({ name: 'wrangler dev', ...stack.wrangler }, `${stack.baseUrl}/health/ready`, 120_000).then(
    () => {
      // As `npm start` does: the sandbox's demo sign-ins.
      console.log(
        `\n  Edgeplane (Worker) is running at ${stack.baseUrl}  (API reference: ${stack.baseUrl}/docs)\n` +
          `  Sign in as ${DEMO_LOGINS.join(', ')} with the password "${DEMO_PASSWORD}".\n`,
      );
    },
    () => {
      // wrangler prints why it is not ready; nothing to add.
    },
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping wrangler`);
    // A second signal kills at once.
    void stack.wrangler.stop(stopping ? 'SIGKILL' : signal);
    stopping = true;
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const code = await stack.wrangler.exited;
  await stack.stop();
  log(`wrangler exited (${code}); stand-ins stopped`);
  process.exit(stopping ? 0 : code);
}

main().catch((error: unknown) => {
  console.error('[dev:edge] failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
