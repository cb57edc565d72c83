import { deepStrictEqual } from 'node:assert/strict';
import { freePort, waitForHttp } from '../../dev/child-process.ts';
import { SERVER_RUNTIMES, type ServerRuntimeName, spawnEntry } from '../../dev/server-entries.ts';
import type { BenchConfig } from '../config.ts';
import { benchDatabase } from '../lib/bench-database.ts';
import { BENCH_JWT_KEYS, benchAuthorization } from '../lib/bench-identity.ts';
import { runLoad } from '../lib/load.ts';
import type { LoadResult } from '../lib/load-spec.ts';
import type { Section, SectionContext, Table } from '../lib/section.ts';
import { BASELINE_ENTRY, childEnv, startServer } from '../lib/servers.ts';
import { loadCells, loadProblem, num } from '../lib/table.ts';

const ID_SAMPLE = 1_000;

interface Route {
  label: string;
  paths: string[];
}

interface Measurement {
  route: string;
  /** A runtime running the app, or the node:http + pg baseline every ratio is also taken against. */
  runtime: ServerRuntimeName | 'baseline';
  result: LoadResult;
}

/** One runtime's server, started on its own, stopped as soon as it has been measured. */
async function startRuntime(context: SectionContext, runtime: ServerRuntimeName, env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const child = spawnEntry(runtime, `bench-${runtime}`, { env, port, echo: true });
  context.defer(`stop ${runtime}`, () => child.stop());
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${origin}/health/ready`, 60_000);
  return { origin, pid: child.process.pid, stop: () => child.stop() };
}

/** The answers each route's first path gets, to check every runtime does the same work. */
async function answers(origin: string, routes: Route[], auth: Record<string, string>) {
  return Promise.all(
    routes.map(async (route) => {
      const res = await fetch(`${origin}${route.paths[0]}`, { headers: auth });
      return { path: route.paths[0], status: res.status, etag: res.headers.get('etag'), body: await res.json() };
    }),
  );
}

function toTable(config: BenchConfig, postgresVersion: string, measured: Measurement[]): Table {
  const of = (route: string, runtime: Measurement['runtime']) =>
    measured.find((m) => m.route === route && m.runtime === runtime)?.result.requestsPerSecond ?? 0;
  const ratio = (value: number, base: number) => (base ? `${num(value / base, 2)}×` : '–');
  return {
    caption: [
      `${config.connections} connections; ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured per route and runtime; ` +
        `${num(config.items)} seeded items; PostgreSQL ${postgresVersion} over TCP (pg, pool ${config.poolSize}) from every runtime.`,
      'Each runtime runs alone (started, checked to answer as Node does, measured, stopped); access log off, item cache off, ' +
        'rate limits off. vs node = req/s ÷ Node req/s; × baseline = req/s ÷ the node:http + pg baseline (bench/baseline-server.ts) on the same database.',
    ],
    columns: ['route', 'runtime', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'vs node', '× baseline'],
    rows: measured.map((m) => [
      m.route,
      m.runtime,
      ...loadCells(m.result),
      m.runtime === 'baseline' ? '–' : ratio(m.result.requestsPerSecond, of(m.route, 'node')),
      ratio(m.result.requestsPerSecond, of(m.route, 'baseline')),
    ]),
    notes: measured.flatMap((m) => loadProblem(`${m.route} on ${m.runtime}`, m.result)),
  };
}

/** The same app on Node, Deno and Bun against one Postgres database, side by side. */
export const runtimes: Section = {
  name: 'runtimes',
  title: 'GET /api/v1/items on Node, Deno and Bun (the same app and database)',
  async run(context) {
    const { config, log } = context;
    const database = await benchDatabase(context, 'edgeplane_bench_rt', config.items, ID_SAMPLE);
    const { ids, postgresVersion } = database;
    const auth = await benchAuthorization(database.url);
    const routes: Route[] = [
      { label: 'GET /api/v1/items', paths: ['/api/v1/items'] },
      { label: 'GET /api/v1/items/{id}', paths: ids.map((id) => `/api/v1/items/${id}`) },
    ];
    const env = childEnv({
      DATABASE_URL: database.url,
      DATABASE_DRIVER: 'pg',
      DATABASE_POOL_SIZE: String(config.poolSize),
      MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: 'false',
      JWT_SIGNING_KEYS: BENCH_JWT_KEYS,
      ITEM_CACHE_SECONDS: '0',
      RATE_LIMIT_ENABLED: 'false',
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_MS: '1000',
    });

    const measured: Measurement[] = [];
    const measure = async (runtime: Measurement['runtime'], origin: string, serverPid?: number) => {
      const { connections, durationSeconds, warmupSeconds } = config;
      for (const route of routes) {
        log(`${route.label} on ${runtime}`);
        const { paths } = route;
        const result = await runLoad({
          origin,
          method: 'GET',
          paths,
          headers: auth,
          connections,
          durationSeconds,
          warmupSeconds,
          serverPid,
        });
        measured.push({ route: route.label, runtime, result });
      }
    };
    let reference: Awaited<ReturnType<typeof answers>> | undefined;
    for (const runtime of SERVER_RUNTIMES) {
      const server = await startRuntime(context, runtime, env);
      const seen = await answers(server.origin, routes, auth);
      if (seen.some((a) => a.status !== 200)) throw new Error(`${runtime}: ${JSON.stringify(seen)}`);
      if (reference) deepStrictEqual(seen, reference, `${runtime} answers differently from node`);
      reference ??= seen;
      await measure(runtime, server.origin, server.pid);
      await server.stop();
    }
    // The floor, alone like each runtime, on the same routes.
    const baseline = await startServer(
      context,
      'baseline',
      BASELINE_ENTRY,
      childEnv({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(config.poolSize) }),
    );
    await measure('baseline', baseline);
    return { table: toTable(config, postgresVersion, measured), details: { postgresVersion, measured } };
  },
};
