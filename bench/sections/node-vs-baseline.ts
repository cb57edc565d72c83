import { fileURLToPath } from 'node:url';
import type { BenchConfig } from '../config.ts';
import { benchDatabase } from '../lib/bench-database.ts';
import { BENCH_JWT_KEYS, benchAuthorization } from '../lib/bench-identity.ts';
import { captureItemsSql } from '../lib/items-sql.ts';
import { runLoad } from '../lib/load.ts';
import type { LoadResult } from '../lib/load-spec.ts';
import { assertSameResponses } from '../lib/same-responses.ts';
import type { Section, Table } from '../lib/section.ts';
import { childEnv, startServer } from '../lib/servers.ts';
import { loadCells, loadProblem, num } from '../lib/table.ts';

const APP_ENTRY = fileURLToPath(new URL('../../api/entries/node.ts', import.meta.url));
const BASELINE_ENTRY = fileURLToPath(new URL('../baseline-server.ts', import.meta.url));
/** How many different items the GET-by-id route cycles through. */
const ID_SAMPLE = 1_000;

interface Route {
  label: string;
  method: 'GET' | 'POST';
  paths: string[];
  body?: string;
}

interface Measurement {
  route: string;
  app: LoadResult;
  baseline: LoadResult;
  /** App throughput over baseline throughput. */
  ratio: number;
}

const routes = (ids: string[]): Route[] => [
  { label: 'GET /api/v1/items?limit=20', method: 'GET', paths: ['/api/v1/items?limit=20'] },
  { label: 'GET /api/v1/items/{id}', method: 'GET', paths: ids.map((id) => `/api/v1/items/${id}`) },
  { label: 'POST /api/v1/items', method: 'POST', paths: ['/api/v1/items'], body: '{"title":"Bench item"}' },
];

function toTable(config: BenchConfig, postgresVersion: string, measured: Measurement[]): Table {
  const problems = measured.flatMap((m) =>
    (['app', 'baseline'] as const).flatMap((name) => loadProblem(`${m.route} on ${name}`, m[name])),
  );
  return {
    caption: [
      `${config.connections} connections; ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured per route and server; ` +
        `pool ${config.poolSize}; ${num(config.items)} seeded items; PostgreSQL ${postgresVersion}.`,
      'Load from autocannon in its own process; latency percentiles over 2xx responses; ratio = app req/s ÷ baseline req/s.',
    ],
    columns: [
      'route',
      'app req/s',
      'app p50 ms',
      'app p99 ms',
      'baseline req/s',
      'baseline p50',
      'baseline p99',
      'app/baseline ratio',
    ],
    rows: measured.map((m) => [m.route, ...loadCells(m.app), ...loadCells(m.baseline), num(m.ratio, 2)]),
    notes: problems,
  };
}

/** The Node entry (Hono, zod-openapi, drizzle) against node:http + pg running the same SQL, on real Postgres. */
export const nodeVsBaseline: Section = {
  name: 'node-vs-baseline',
  title: 'Node entry vs minimal node:http + pg (same SQL, same JSON)',
  async run(context) {
    const { config, log } = context;
    const database = await benchDatabase(context, 'edgeplane_bench', config.items, ID_SAMPLE);
    const { ids, postgresVersion } = database;
    const [probeId] = ids;
    if (!probeId) throw new Error('the seed produced no live items');

    const db = { DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(config.poolSize) };
    const appEnv = childEnv({
      ...db,
      MIGRATE_ON_START: 'false',
      JWT_SIGNING_KEYS: BENCH_JWT_KEYS,
      // The baseline has no cache: compare the same database work.
      ITEM_CACHE_SECONDS: '0',
      SEED_DEMO_DATA: 'false',
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'warn',
      // One load generator on one address: per-client limits would measure themselves.
      RATE_LIMIT_ENABLED: 'false',
      SHUTDOWN_DRAIN_MS: '1000',
    });
    const app = await startServer(context, 'app', APP_ENTRY, appEnv);
    const baseline = await startServer(context, 'baseline', BASELINE_ENTRY, childEnv(db));
    const auth = await benchAuthorization(database.url);
    await assertSameResponses(app, baseline, { itemId: probeId, databaseUrl: database.url, auth });
    log('both servers answer identically; measuring');

    const measure = (route: Route, name: string, origin: string) => {
      log(`${route.label} on ${name}: ${config.warmupSeconds} s warm-up, ${config.durationSeconds} s measured`);
      const { connections, durationSeconds, warmupSeconds } = config;
      const { method, paths, body } = route;
      return runLoad({ origin, method, paths, body, headers: auth, connections, durationSeconds, warmupSeconds });
    };
    const measured: Measurement[] = [];
    for (const route of routes(ids)) {
      // One route on both servers back to back: same table size, same machine state.
      const a = await measure(route, 'app', app);
      const b = await measure(route, 'baseline', baseline);
      const ratio = b.requestsPerSecond ? Math.round((a.requestsPerSecond / b.requestsPerSecond) * 1000) / 1000 : 0;
      measured.push({ route: route.label, app: a, baseline: b, ratio });
    }

    const sql = await captureItemsSql();
    return {
      table: toTable(config, postgresVersion, measured),
      details: {
        postgresVersion,
        items: config.items,
        idsRotated: ids.length,
        sql: { list: sql.list.text, get: sql.get.text, create: sql.create.text },
        routes: measured,
      },
    };
  },
};
