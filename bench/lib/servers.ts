import { fileURLToPath } from 'node:url';
import { EnvSchema } from '../../core/config.ts';
import { freePort, spawnTs, waitForHttp } from '../../dev/child-process.ts';
import { BENCH_JWT_KEYS } from './bench-identity.ts';
import type { SectionContext } from './section.ts';

/** The servers the bench runs: the app's Node entry and the two floors it is compared with. */
export const APP_ENTRY = fileURLToPath(new URL('../../api/entries/node.ts', import.meta.url));
export const BASELINE_ENTRY = fileURLToPath(new URL('../baseline-server.ts', import.meta.url));
export const FLOOR_ENTRY = fileURLToPath(new URL('../hono-floor-server.ts', import.meta.url));

/**
 * The app as the hot-path measurements run it, on `databaseUrl`: access log off, item
 * cache off, rate limits off, nothing migrated or seeded at start.
 */
export function measuredAppEnv(databaseUrl: string, poolSize: number): NodeJS.ProcessEnv {
  return childEnv({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(poolSize),
    MIGRATE_ON_START: 'false',
    JWT_SIGNING_KEYS: BENCH_JWT_KEYS,
    // The floors have no cache: compare the same database work.
    ITEM_CACHE_SECONDS: '0',
    SEED_DEMO_DATA: 'false',
    ACCESS_LOG: 'false',
    LOG_LEVEL: 'warn',
    // One load generator on one address: per-client limits would measure themselves.
    RATE_LIMIT_ENABLED: 'false',
    SHUTDOWN_DRAIN_MS: '1000',
  });
}

/** The parent's environment without any of the app's own settings, so only the bench's choices apply. */
export function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(EnvSchema.shape)) delete env[key];
  return { ...env, ...settings };
}

/** Process ids of the servers started, by origin: the load runner reads their CPU time. */
const pids = new Map<string, number>();

/** The process id of the server at `origin`, if this bench started it. */
export const serverPid = (origin: string) => pids.get(origin);

/**
 * Starts a server process (stopped by the section's teardown) and waits until it is
 * ready; returns its origin. `echo: false` keeps a server's output (its access log)
 * off the bench's stderr.
 */
export async function startServer(
  context: SectionContext,
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  options: { echo?: boolean } = {},
) {
  const port = await freePort();
  const child = spawnTs(name, entry, {
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    echo: options.echo ?? true,
  });
  context.defer(`stop ${name}`, () => child.stop());
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${origin}/health/ready`);
  if (child.process.pid) pids.set(origin, child.process.pid);
  return origin;
}
