import autocannon from 'autocannon';
import { cpuMicros } from './cpu.ts';
import type { LoadMessage, LoadResult, LoadSpec } from './load-spec.ts';

// Runs in its own process (see load.ts) so generating load never competes with
// the measured server's event loop. Receives one LoadSpec, replies one LoadMessage.
process.once('message', (spec: LoadSpec) => {
  measure(spec)
    .then((result): LoadMessage => ({ type: 'result', result }))
    .catch(
      (error: unknown): LoadMessage => ({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      }),
    )
    .then((message) => process.send?.(message, () => process.exit(0)));
});

async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSeconds > 0) await run(spec, spec.warmupSeconds, []);
  const latencies: number[] = [];
  const cpuBefore = cpuMicros(spec.serverPid);
  const result = await run(spec, spec.durationSeconds, latencies);
  const cpuAfter = cpuMicros(spec.serverPid);
  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((sum, v) => sum + v, 0) / (latencies.length || 1);
  return {
    requestsPerSecond: result.requests.average,
    latencyMs: {
      mean: round(mean),
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: round(latencies.at(-1) ?? 0),
    },
    durationSeconds: result.duration,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
    ),
    serverCpuMicrosPerRequest:
      cpuBefore === null || cpuAfter === null || !result.requests.total
        ? null
        : Math.round(((cpuAfter - cpuBefore) / result.requests.total) * 10) / 10,
  };
}

function run(spec: LoadSpec, seconds: number, latencies: number[]): Promise<autocannon.Result> {
  let turn = 0;
  const rotate: autocannon.Request['setupRequest'] = (request) => ({
    ...request,
    path: spec.paths[turn++ % spec.paths.length] as string,
  });
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${spec.origin}${spec.paths[0] ?? '/'}`,
        method: spec.method,
        connections: spec.connections,
        duration: seconds,
        headers: { ...spec.headers, ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: spec.body,
        requests: spec.paths.length > 1 ? [{ setupRequest: rotate }] : undefined,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/** Nearest-rank percentile of sorted values, in ms with two decimals. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round(sorted[rank] ?? 0);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
