import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().positive().max(3_600).default(fallback);

const BenchEnvSchema = z.object({
  /** A Postgres server; each run creates, uses and drops its own database on it. */
  BENCH_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .default('postgres://postgres@127.0.0.1:5432/postgres'),
  /** Measured seconds per route and server. */
  BENCH_DURATION: seconds(10),
  /** Unmeasured seconds of load before each measurement (JIT, pool, caches). */
  BENCH_WARMUP: z.coerce.number().min(0).max(600).default(2),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1_000).default(10),
  /** Postgres pool size of every server under test (the app's DATABASE_POOL_SIZE). */
  BENCH_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  BENCH_ITEMS: z.coerce.number().int().min(100).max(5_000_000).default(10_000),
  /** Comma-separated section names to run; empty runs all. */
  BENCH_ONLY: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
});

export interface BenchConfig {
  serverUrl: string;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  poolSize: number;
  items: number;
  only: string[];
}

/** Validates BENCH_* settings; an invalid value stops the run naming each field. */
export function parseBenchConfig(raw: Record<string, string | undefined>): BenchConfig {
  const set = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const result = BenchEnvSchema.safeParse(set);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid bench configuration:\n${fields.join('\n')}`);
  }
  const env = result.data;
  return {
    serverUrl: env.BENCH_DATABASE_URL,
    durationSeconds: env.BENCH_DURATION,
    warmupSeconds: env.BENCH_WARMUP,
    connections: env.BENCH_CONNECTIONS,
    poolSize: env.BENCH_POOL_SIZE,
    items: env.BENCH_ITEMS,
    only: env.BENCH_ONLY,
  };
}

/** The configuration as recorded in results: the server URL without its password. */
export function describeConfig(config: BenchConfig): Record<string, unknown> {
  const url = new URL(config.serverUrl);
  url.password = '';
  return { ...config, serverUrl: url.toString() };
}
