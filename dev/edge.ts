/**
 * `npm run dev:edge`: the Worker under `wrangler dev` (workerd), with its database
 * reached the way production reaches Neon, over SQL-over-HTTP, through the local
 * Neon stand-in. A development tool only.
 *
 *   DATABASE_URL  a postgres:// URL to sit in front of; unset means PGlite kept under
 *                 ${DATA_DIR:-./.data}/edge
 *   PORT          the Worker's port on 127.0.0.1 (default 8787)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openNeonHttp } from '../db/drivers/neon-http.ts';
import { migrate } from '../db/node/migrate.ts';
import { isEmpty, seedDemoData } from '../db/seed.ts';
import { type NeonStandIn, startNeonStandIn } from './neon-stand-in.ts';

// The stand-in serves its one PGlite database under any name; this one just has to be a valid URL.
const PGLITE_URL = 'postgres://edgeplane@pglite.localhost/edgeplane';
// How long wrangler gets to stop workerd before the whole group is killed.
const STOP_GRACE_MS = 5_000;

const log = (message: string) => console.log(`[dev:edge] ${message}`);

async function startDatabase(env: NodeJS.ProcessEnv): Promise<{ standIn: NeonStandIn; databaseUrl: string }> {
  const upstream = env.DATABASE_URL;
  if (upstream && /^postgres(ql)?:\/\//.test(upstream)) {
    const standIn = await startNeonStandIn({ upstreamUrl: upstream, log: console.error });
    log(`Neon stand-in ${standIn.url} -> Postgres ${new URL(upstream).host}${new URL(upstream).pathname}`);
    return { standIn, databaseUrl: upstream };
  }
  const dataDir = join(env.DATA_DIR || './.data', 'edge');
  const standIn = await startNeonStandIn({ dataDir, log: console.error });
  log(`Neon stand-in ${standIn.url} -> PGlite ${dataDir}`);
  return { standIn, databaseUrl: PGLITE_URL };
}

/** Migrates and seeds through the stand-in with the Worker's own driver, so the edge path is what runs. */
async function prepare(databaseUrl: string, endpoint: string): Promise<void> {
  const handle = openNeonHttp({ url: databaseUrl, endpoint });
  const { applied } = await migrate(handle);
  log(applied ? `applied ${applied} migration(s)` : 'migrations up to date');
  if (await isEmpty(handle.db)) {
    const seeded = await seedDemoData(handle.db);
    log(`seeded demo data: ${seeded.users} users, ${seeded.items} items`);
  }
}

/**
 * Runs wrangler's CLI directly with node, in its own process group: the `wrangler`
 * bin (and npx) wrap it in a second process that does not pass signals on, which
 * leaves workerd running. Killing the group stops wrangler and workerd together.
 */
function startWrangler(port: string, databaseUrl: string, endpoint: string): ChildProcess {
  const cli = createRequire(import.meta.url).resolve('wrangler');
  const args = [
    ...['--no-warnings', '--experimental-vm-modules', cli, 'dev', '--ip', '127.0.0.1', '--port', port],
    ...[
      '--var',
      'APP_ENV:development',
      '--var',
      `DATABASE_URL:${databaseUrl}`,
      '--var',
      `NEON_HTTP_ENDPOINT:${endpoint}`,
    ],
    // Its own group has no terminal to read hotkeys from; Ctrl-C reaches it through us.
    '--show-interactive-dev-session=false',
  ];
  return spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
}

/** Signals wrangler's whole process group, which outlives wrangler itself while workerd runs. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function main(): Promise<void> {
  const port = process.env.PORT || '8787';
  const { standIn, databaseUrl } = await startDatabase(process.env);
  try {
    await prepare(databaseUrl, standIn.url);
  } catch (error) {
    await standIn.close();
    throw error;
  }

  const wrangler = startWrangler(port, databaseUrl, standIn.url);
  log(`starting wrangler dev on http://127.0.0.1:${port} (API under /api/v1, health at /health/ready)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      signalGroup(wrangler, 'SIGKILL');
      return;
    }
    stopping = true;
    log(`${signal}: stopping wrangler`);
    signalGroup(wrangler, signal);
    setTimeout(() => signalGroup(wrangler, 'SIGKILL'), STOP_GRACE_MS).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Last resort if this process ends some other way: never leave workerd behind.
  process.on('exit', () => signalGroup(wrangler, 'SIGKILL'));

  const code = await new Promise<number>((resolve) => {
    wrangler.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 0 : 1)));
  });
  // workerd may outlive wrangler's node process; make sure nothing of the group is left.
  signalGroup(wrangler, 'SIGKILL');
  await standIn.close();
  log(`wrangler exited (${code}); stand-in stopped`);
  process.exit(stopping ? 0 : code);
}

main().catch((error: unknown) => {
  console.error('[dev:edge] failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
