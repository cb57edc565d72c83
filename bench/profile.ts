import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnTs, waitForHttp } from '../dev/child-process.ts';
import { parseBenchConfig } from './config.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { benchAuthorization } from './lib/bench-identity.ts';
import { Cleanup } from './lib/cleanup.ts';
import { type CpuProfile, summarizeProfile, summaryLines } from './lib/cpu-profile.ts';
import { type BenchRoute, itemRoutes } from './lib/item-routes.ts';
import { runLoad } from './lib/load.ts';
import { APP_ENTRY, BASELINE_ENTRY, FLOOR_ENTRY, measuredAppEnv } from './lib/servers.ts';
import { num } from './lib/table.ts';

/*
 * `npm run bench:profile -- <route> [entries]`: the Node entry under the bench's load,
 * with `node --cpu-prof`, and the profile's heaviest functions (self time) and packages.
 * Routes: list, get, create, live, enqueue. Same settings as the node-vs-baseline section
 * (BENCH_DURATION, BENCH_CONNECTIONS, ...); BENCH_ACCESS_LOG=true profiles the access log too.
 * PROFILE_SERVER=baseline|floor profiles one of the floors instead of the app, for comparison.
 * PROFILE_KEEP=dir keeps the .cpuprofile there (open it in Chrome DevTools).
 */

const ENTRIES: Record<string, string> = { app: APP_ENTRY, baseline: BASELINE_ENTRY, floor: FLOOR_ENTRY };

async function main() {
  const route = process.argv[2] ?? 'list';
  const entries = Number(process.argv[3] ?? 25);
  const config = parseBenchConfig(process.env);
  const cleanup = new Cleanup();
  const log = (message: string) => process.stderr.write(`[profile] ${message}\n`);
  try {
    const context = {
      config,
      log,
      defer: (label: string, task: () => Promise<void> | void) => cleanup.defer(label, task),
    };
    const database = await benchDatabase(context, 'edgeplane_profile', config.items, 1_000);
    const dir = await mkdtemp(join(tmpdir(), 'edgeplane-profile-'));
    cleanup.defer('remove profile dir', () => rm(dir, { recursive: true, force: true }));
    const server = process.env.PROFILE_SERVER ?? 'app';
    const entry = ENTRIES[server];
    if (!entry) throw new Error(`unknown PROFILE_SERVER ${server} (known: ${Object.keys(ENTRIES).join(', ')})`);
    const port = await freePort();
    const accessLog = process.env.BENCH_ACCESS_LOG === 'true';
    const env = {
      ...measuredAppEnv(database.url, config.poolSize),
      ACCESS_LOG: String(accessLog),
      LOG_LEVEL: accessLog ? 'info' : 'warn',
      SHUTDOWN_DRAIN_MS: '500',
      HOST: '127.0.0.1',
      PORT: String(port),
    };
    const child = spawnTs(server, entry, { env, echo: !accessLog, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
    cleanup.defer('stop app', () => child.stop());
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(child, `${origin}/health/ready`);
    const auth = await benchAuthorization(database.url);
    const routes: Record<string, Omit<BenchRoute, 'label'>> = {
      ...itemRoutes(database.ids),
      live: { method: 'GET', paths: ['/health/live'] },
      // A job held back far enough that the dispatcher never runs it: the enqueue alone.
      enqueue: {
        method: 'POST',
        paths: ['/api/v1/jobs'],
        body: JSON.stringify({ type: 'cleanup', runAt: '2999-01-01T00:00:00Z' }),
      },
    };
    const spec = routes[route];
    if (!spec) throw new Error(`unknown route ${route} (known: ${Object.keys(routes).join(', ')})`);
    log(`${route}: ${config.warmupSeconds} s warm-up, ${config.durationSeconds} s profiled`);
    const result = await runLoad({
      origin,
      method: spec.method,
      paths: spec.paths,
      body: spec.body,
      headers: auth,
      connections: config.connections,
      durationSeconds: config.durationSeconds,
      warmupSeconds: config.warmupSeconds,
      serverPid: child.process.pid,
    });
    await child.stop();
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`the app wrote no profile:\n${child.output()}`);
    const raw = await readFile(join(dir, file), 'utf8');
    if (process.env.PROFILE_KEEP) {
      await writeFile(join(process.env.PROFILE_KEEP, `${server}-${route}.cpuprofile`), raw);
    }
    const summary = summarizeProfile(JSON.parse(raw) as CpuProfile, { entries });
    const lines = [
      `## profile: ${server}, ${route} (${num(result.requestsPerSecond ?? 0)} req/s, ${num(result.serverCpuMicrosPerRequest ?? 0)} CPU µs/req; whole process ${num(summary.totalMs)} ms incl. start-up and warm-up)`,
      '',
      ...summaryLines(summary),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await cleanup.run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
