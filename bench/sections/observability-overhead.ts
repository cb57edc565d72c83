import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchConfig } from '../config.ts';
import { benchDatabase } from '../lib/bench-database.ts';
import { BENCH_JWT_KEYS, benchAuthorization } from '../lib/bench-identity.ts';
import { runLoad } from '../lib/load.ts';
import type { LoadResult } from '../lib/load-spec.ts';
import type { Section, SectionContext, Table } from '../lib/section.ts';
import { APP_ENTRY, childEnv, startServer } from '../lib/servers.ts';
import { loadCells, loadProblem, num } from '../lib/table.ts';

const ID_SAMPLE = 1_000;
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

interface Measurement {
  route: string;
  off: LoadResult;
  on: LoadResult;
  /** Throughput lost with observability on, in percent of "off". */
  overheadPercent: number;
}

/**
 * An OTLP/HTTP collector stand-in: accepts every export and counts the spans, so
 * the "on" server really serializes and sends its traces.
 */
async function startOtlpSink(context: SectionContext) {
  let spans = 0;
  let exports = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exports++;
      if (req.url === '/v1/traces')
        spans += (
          Buffer.concat(chunks)
            .toString('utf8')
            .match(/"spanId"/g) ?? []
        ).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  context.defer('stop the OTLP sink', () => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => ({ spans, exports }),
  };
}

/** Two runs as one: mean throughput and percentiles, summed counts. */
function meanOf(x: LoadResult, y: LoadResult): LoadResult {
  const mean = (f: (r: LoadResult) => number) => (f(x) + f(y)) / 2;
  return {
    requestsPerSecond: mean((r) => r.requestsPerSecond),
    latencyMs: {
      mean: mean((r) => r.latencyMs.mean),
      p50: mean((r) => r.latencyMs.p50),
      p90: mean((r) => r.latencyMs.p90),
      p99: mean((r) => r.latencyMs.p99),
      max: Math.max(x.latencyMs.max, y.latencyMs.max),
    },
    durationSeconds: x.durationSeconds + y.durationSeconds,
    completed: x.completed + y.completed,
    non2xx: x.non2xx + y.non2xx,
    errors: x.errors + y.errors,
    timeouts: x.timeouts + y.timeouts,
    serverCpuMicrosPerRequest:
      x.serverCpuMicrosPerRequest === null || y.serverCpuMicrosPerRequest === null
        ? null
        : mean((r) => r.serverCpuMicrosPerRequest as number),
    statusCodes: Object.fromEntries(
      [...new Set([...Object.keys(x.statusCodes), ...Object.keys(y.statusCodes)])].map((k) => [
        k,
        (x.statusCodes[k] ?? 0) + (y.statusCodes[k] ?? 0),
      ]),
    ),
  };
}

function toTable(config: BenchConfig, measured: Measurement[], spans: number): Table {
  return {
    caption: [
      `${config.connections} connections; ${config.warmupSeconds} s warm-up + ${config.durationSeconds} s measured, twice per route and server ` +
        '(off, on, on, off; figures are the mean of the two); ' +
        `pool ${config.poolSize}; item cache off (every read queries Postgres).`,
      'off: ACCESS_LOG=false, LOG_LEVEL=warn, METRICS_ENABLED=false, no OTLP endpoint. ' +
        'on: one JSON access-log line per request, metrics (request, query and cache series), ' +
        `every request traced (server span + a span per query) and exported over OTLP/HTTP to a local sink (${num(spans)} spans received).`,
    ],
    columns: [
      'route',
      'off req/s',
      'off p50 ms',
      'off p99 ms',
      'off CPU µs/req',
      'on req/s',
      'on p50 ms',
      'on p99 ms',
      'on CPU µs/req',
      'throughput cost',
    ],
    rows: measured.map((m) => [m.route, ...loadCells(m.off), ...loadCells(m.on), `${num(m.overheadPercent, 1)}%`]),
    notes: measured.flatMap((m) =>
      (['off', 'on'] as const).flatMap((name) => loadProblem(`${m.route} (${name})`, m[name])),
    ),
  };
}

/** The same Node entry with logging, metrics and tracing off, then all on, on read routes. */
export const observabilityOverhead: Section = {
  name: 'observability-overhead',
  title: 'Cost of logs + metrics + traces on read routes (Node entry, observability off vs on)',
  async run(context) {
    const { config, log } = context;
    const database = await benchDatabase(context, 'edgeplane_bench_obs', config.items, ID_SAMPLE);
    const { ids } = database;
    const sink = await startOtlpSink(context);

    const common = {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(config.poolSize),
      MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: 'false',
      JWT_SIGNING_KEYS: BENCH_JWT_KEYS,
      ITEM_CACHE_SECONDS: '0',
      RATE_LIMIT_ENABLED: 'false',
      SHUTDOWN_DRAIN_MS: '1000',
    };
    const off = await startServer(
      context,
      'obs-off',
      APP_ENTRY,
      childEnv({ ...common, ACCESS_LOG: 'false', LOG_LEVEL: 'warn', METRICS_ENABLED: 'false' }),
    );
    const on = await startServer(
      context,
      'obs-on',
      APP_ENTRY,
      childEnv({
        ...common,
        ACCESS_LOG: 'true',
        LOG_LEVEL: 'info',
        METRICS_ENABLED: 'true',
        METRICS_TOKEN,
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        TRACE_SAMPLE_RATIO: '1',
      }),
      // Its access log goes to its stdout pipe, as in production; not echoed here.
      { echo: false },
    );
    const auth = await benchAuthorization(database.url);
    const routes = [
      { label: 'GET /api/v1/items/{id}', paths: ids.map((id) => `/api/v1/items/${id}`) },
      { label: 'GET /api/v1/items?limit=20', paths: ['/api/v1/items?limit=20'] },
    ];
    const measure = (paths: string[], name: string, origin: string, label: string) => {
      log(`${label} with observability ${name}`);
      const { connections, durationSeconds, warmupSeconds } = config;
      return runLoad({ origin, method: 'GET', paths, headers: auth, connections, durationSeconds, warmupSeconds });
    };
    const measured: Measurement[] = [];
    for (const route of routes) {
      // off, on, on, off: a drift in the machine's other load (it is shared) hits both alike.
      const off1 = await measure(route.paths, 'off', off, route.label);
      const on1 = await measure(route.paths, 'on', on, route.label);
      const on2 = await measure(route.paths, 'on', on, route.label);
      const off2 = await measure(route.paths, 'off', off, route.label);
      const a = meanOf(off1, off2);
      const b = meanOf(on1, on2);
      const overheadPercent = a.requestsPerSecond ? (1 - b.requestsPerSecond / a.requestsPerSecond) * 100 : 0;
      measured.push({ route: route.label, off: a, on: b, overheadPercent: Math.round(overheadPercent * 10) / 10 });
    }
    // The "on" server really measured: its /metrics counted the load.
    const scrape = await fetch(`${on}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const counted = (await scrape.text()).match(
      /^http_requests_total\{method="GET",route="\/api\/v1\/items\/:id",status="2xx"\} (\d+)/m,
    );
    if (!counted) throw new Error('the "on" server did not count its requests in /metrics');
    // Let its last spans leave (it exports every five seconds).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const received = sink.received();
    return {
      table: toTable(config, measured, received.spans),
      details: { routes: measured, countedByMetrics: Number(counted[1]), otlp: received },
    };
  },
};
