import type { BenchConfig } from '../config.ts';
import { benchDatabase } from '../lib/bench-database.ts';
import { benchAuthorization } from '../lib/bench-identity.ts';
import { type BenchRoute, itemRoutes } from '../lib/item-routes.ts';
import { captureItemsSql } from '../lib/items-sql.ts';
import { runLoad } from '../lib/load.ts';
import type { LoadResult } from '../lib/load-spec.ts';
import { assertSameResponses } from '../lib/same-responses.ts';
import type { Section, Table } from '../lib/section.ts';
import { APP_ENTRY, BASELINE_ENTRY, childEnv, FLOOR_ENTRY, measuredAppEnv, startServer } from '../lib/servers.ts';
import { loadCells, loadProblem, num } from '../lib/table.ts';

/** How many different items the GET-by-id route cycles through. */
const ID_SAMPLE = 1_000;

/** The servers of this section, in table order; ratios are against the first. */
const SERVERS = ['baseline', 'hono floor', 'app', 'app + access log'] as const;
type ServerName = (typeof SERVERS)[number];

interface Measurement {
  route: string;
  results: Record<ServerName, LoadResult>;
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || !b ? '–' : `${num(a / b, 2)}×`);

function toTable(config: BenchConfig, postgresVersion: string, measured: Measurement[]): Table {
  const problems = measured.flatMap((m) =>
    SERVERS.flatMap((name) => loadProblem(`${m.route} on ${name}`, m.results[name])),
  );
  return {
    caption: [
      `${config.connections} connections; ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured per route and server; ` +
        `pool ${config.poolSize}; ${num(config.items)} seeded items; PostgreSQL ${postgresVersion}.`,
      'baseline: node:http + pg; hono floor: Hono + @hono/node-server + pg, no middleware; both run the app’s SQL and toItem. ' +
        'app: the Node entry (access log off, item cache off, rate limits off); app + access log: the same with ACCESS_LOG=true (the default).',
      'Load from autocannon in its own process; latency percentiles over 2xx responses; CPU µs/req = the server process’s CPU time ' +
        'over the measured window ÷ requests; × baseline = req/s ratio; CPU × floor = CPU per request ÷ the Hono floor’s.',
    ],
    columns: ['route', 'server', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', '× baseline', 'CPU × floor'],
    rows: measured.flatMap((m) =>
      SERVERS.map((name) => {
        const r = m.results[name];
        return [
          name === 'baseline' ? m.route : '',
          name,
          ...loadCells(r),
          ratio(r.requestsPerSecond, m.results.baseline.requestsPerSecond),
          ratio(r.serverCpuMicrosPerRequest, m.results['hono floor'].serverCpuMicrosPerRequest),
        ];
      }),
    ),
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
    const appEnv = measuredAppEnv(database.url, config.poolSize);
    const origins: Record<ServerName, string> = {
      baseline: await startServer(context, 'baseline', BASELINE_ENTRY, childEnv(db)),
      'hono floor': await startServer(context, 'hono floor', FLOOR_ENTRY, childEnv(db)),
      app: await startServer(context, 'app', APP_ENTRY, appEnv),
      // Its access log goes to its stdout pipe, as in production; not echoed here.
      'app + access log': await startServer(
        context,
        'app + access log',
        APP_ENTRY,
        { ...appEnv, ACCESS_LOG: 'true', LOG_LEVEL: 'info' },
        { echo: false },
      ),
    };
    const auth = await benchAuthorization(database.url);
    for (const floor of ['baseline', 'hono floor'] as const) {
      await assertSameResponses(origins.app, origins[floor], { itemId: probeId, databaseUrl: database.url, auth });
    }
    log('the servers answer identically; measuring');

    const measure = (route: BenchRoute, name: ServerName) => {
      log(`${route.label} on ${name}: ${config.warmupSeconds} s warm-up, ${config.durationSeconds} s measured`);
      const { connections, durationSeconds, warmupSeconds } = config;
      const { method, paths, body } = route;
      return runLoad({
        origin: origins[name],
        method,
        paths,
        body,
        headers: auth,
        connections,
        durationSeconds,
        warmupSeconds,
      });
    };
    const measured: Measurement[] = [];
    for (const route of Object.values(itemRoutes(ids))) {
      // One route on every server back to back: same table size, same machine state.
      const results = {} as Record<ServerName, LoadResult>;
      for (const name of SERVERS) results[name] = await measure(route, name);
      measured.push({ route: route.label, results });
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
